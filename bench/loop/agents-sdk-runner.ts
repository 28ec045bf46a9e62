import { Agent, run, setTracingDisabled, tool } from "@openai/agents-core";
import { AgentsSdkModel } from "./agents-sdk-model.ts";
import { InstantModel } from "./instant-model.ts";
import type { LoopResult } from "./loop-result.ts";
import { benchTask, noopInputSchema, noopOutput, noopToolDescription, noopToolName } from "./noop-tool.ts";

/** The OpenAI Agents SDK's runner: one agent with the tool, `run` with `maxTurns: steps`, all in memory. */
export async function runAgentsSdk(steps: number): Promise<LoopResult> {
  // No exporter is configured and none is wanted: tracing would only add work the other loops do not do.
  setTracingDisabled(true);
  const model = new InstantModel(steps);
  let toolCalls = 0;
  const agent = new Agent({
    name: "bench",
    instructions: "You are a benchmark agent.",
    model: new AgentsSdkModel(model),
    tools: [
      tool({
        name: noopToolName,
        description: noopToolDescription,
        parameters: noopInputSchema,
        execute: async () => {
          toolCalls += 1;
          return noopOutput;
        },
      }),
    ],
  });
  const result = await run(agent, benchTask, { maxTurns: steps });
  const modelCalls = result.rawResponses.length;
  return {
    steps: modelCalls,
    toolCalls,
    lastPromptMessages: model.lastPromptMessages,
    output: String(result.finalOutput ?? ""),
    retained: result,
  };
}
