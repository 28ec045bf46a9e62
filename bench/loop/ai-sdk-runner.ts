import { generateText, stepCountIs, tool } from "ai";
import { InstantModel } from "./instant-model.ts";
import type { LoopResult } from "./loop-result.ts";
import { benchTask, noopInputSchema, noopOutput, noopToolDescription, noopToolName } from "./noop-tool.ts";

/** The AI SDK 6 tool loop: `generateText` with a tool and `stopWhen: stepCountIs(steps)`, all in memory. */
export async function runAiSdk(steps: number): Promise<LoopResult> {
  const model = new InstantModel(steps);
  let toolCalls = 0;
  const result = await generateText({
    model,
    prompt: benchTask,
    tools: {
      [noopToolName]: tool({
        description: noopToolDescription,
        inputSchema: noopInputSchema,
        execute: async () => {
          toolCalls += 1;
          return noopOutput;
        },
      }),
    },
    stopWhen: stepCountIs(steps),
  });
  return {
    steps: result.steps.length,
    toolCalls,
    lastPromptMessages: model.lastPromptMessages,
    output: result.text,
    retained: result,
  };
}
