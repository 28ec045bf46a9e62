import { z } from "zod";
import { defineTool } from "../tool.ts";

export const finishToolName = "finish";

/** Ends the run with an answer; offered when every step must call a tool (small grammar-constrained models). */
export const finishTool = defineTool({
  name: finishToolName,
  description: "Call this when the task is done, with a short summary of what you did and the result.",
  inputSchema: z.object({ answer: z.string().describe("The final answer for the user") }),
  needsApproval: false,
  readOnly: true,
  async execute(input) {
    return `Finished: ${input.answer}`;
  },
});
