import { z } from "zod";
import { defineTool, type ToolContext } from "../tool.ts";
import { jobState, knownJob } from "./job-output.ts";

const inputSchema = z.object({
  job_id: z.string().min(1).describe("The id run_command returned, e.g. job_1"),
});

export const jobStopTool = defineTool({
  name: "job_stop",
  description: "End a background job: SIGTERM to its process group, then SIGKILL if it is still there after 3 s.",
  inputSchema,
  // It only ends what an approved run_command started.
  needsApproval: false,
  readOnly: false,
  idempotent: true,
  execute: async (input: z.infer<typeof inputSchema>, context: ToolContext) => {
    const job = knownJob(context.jobs, input.job_id);
    await context.jobs!.stop(job.id);
    return `${job.id} ${jobState(job)}`;
  },
});
