import { z } from "zod";
import type { BackgroundJob, JobTable } from "../jobs/job-table.ts";
import { redactSecrets } from "../secret-environment.ts";
import { defineTool, type ToolContext, ToolInputError } from "../tool.ts";

const inputSchema = z.object({
  job_id: z.string().min(1).describe("The id run_command returned, e.g. job_1"),
  lines: z.number().int().min(1).max(2000).optional().describe("How many of the latest lines (default 100)"),
});

export const jobOutputTool = defineTool({
  name: "job_output",
  description:
    "Read the latest output of a background job (run_command with background: true) and whether it is still running.",
  inputSchema,
  needsApproval: false,
  readOnly: true,
  execute: async (input: z.infer<typeof inputSchema>, context: ToolContext) => {
    const job = knownJob(context.jobs, input.job_id);
    const dropped = job.output.dropped > 0 ? ` (${job.output.dropped} older bytes dropped)` : "";
    const text = job.output.lastLines(input.lines ?? 100);
    return redactSecrets(
      `${job.id} ${jobState(job)}${dropped}\n${text === "" ? "(no output yet)" : text}`,
      context.policy.secrets,
    );
  },
});

/** The job by id, or an error the model can act on (the ids this run has). */
export function knownJob(jobs: JobTable | undefined, jobId: string): BackgroundJob {
  const job = jobs?.get(jobId);
  if (job) return job;
  const known = jobs?.list().map((candidate) => candidate.id) ?? [];
  throw new ToolInputError(
    `No background job ${jobId} in this run. ${known.length > 0 ? `Its jobs: ${known.join(", ")}.` : "It has none."}`,
  );
}

export function jobState(job: BackgroundJob): string {
  if (job.exit === undefined) return `running (pid ${job.pid})`;
  const how = job.exit.code !== null ? `exit code ${job.exit.code}` : `signal ${job.exit.signal}`;
  return `${job.stopped ? "stopped" : "exited"} (${how})`;
}
