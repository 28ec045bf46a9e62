import { z } from "zod";
import type { Tool } from "../tools/tool.ts";
import { ToolInputError } from "../tools/tool.ts";
import { agentToolName } from "./agent-tool-name.ts";
import { type ChildAgent, runChildAgent } from "./child-run.ts";
import { runningToolCall } from "./running-tool-call.ts";

const agentToolInput = z.object({
  task: z.string().min(1).describe("The whole task for the agent: it sees nothing of your conversation but this."),
  budgetUsd: z
    .string()
    .regex(/^\d+(\.\d+)?$/, "an amount in USD such as 0.05")
    .optional()
    .describe("The most this task may cost, in USD; default what the agent's config allows within what you have left."),
});

// A child run may take as long as any run; its own steps and tools have their own limits.
const childRunTimeoutMilliseconds = 24 * 60 * 60 * 1000;

/**
 * Another agent as a tool: each call is a child run of its own (durable, with a parent link, its budget carved out
 * of the caller's), and its answer is the result. Re-running an interrupted call resumes the same child.
 */
export function agentTool(child: ChildAgent): Tool {
  const tool: Tool<z.infer<typeof agentToolInput>> = {
    name: agentToolName(child.name),
    description: child.description,
    inputSchema: agentToolInput,
    needsApproval: false,
    readOnly: false,
    onlyWhenNamed: true,
    // The call finds its child run by the call's id: running it again continues that run, never starts a second.
    idempotent: true,
    timeoutMilliseconds: childRunTimeoutMilliseconds,
    async execute(input, context) {
      const running = runningToolCall.getStore();
      if (!running) throw new ToolInputError(`${tool.name} runs only inside a Tansuo run (it starts a child run).`);
      return await runChildAgent(child, input, running, context.signal);
    },
  };
  return tool as Tool;
}
