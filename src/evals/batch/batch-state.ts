import { readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { EvalUsageError } from "../eval-errors.ts";

export const batchStateFileName = "batch.json";

const batchStateSchema = z.object({
  api: z.enum(["openai-batch", "anthropic-message-batches"]),
  model: z.string(),
  batchId: z.string(),
  /** When the batch was created: its answers are priced at the batch rates in force then. */
  createdAt: z.string(),
  /** Each request's custom_id and the sample it asks for. */
  requests: z.array(z.object({ customId: z.string(), taskId: z.string(), sample: z.number() })),
});

/** `<out>/batch.json`: the batch sent and not yet scored, written before polling so a rerun resumes it. */
export type BatchState = z.infer<typeof batchStateSchema>;

const stateFile = (outDirectory: string) => path.join(outDirectory, batchStateFileName);

export async function readBatchState(outDirectory: string): Promise<BatchState | undefined> {
  let text: string;
  try {
    text = await readFile(stateFile(outDirectory), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const parsed = batchStateSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new EvalUsageError(
      `${stateFile(outDirectory)} is not a batch record (${parsed.error.issues[0]?.message}). ` +
        "Fix it, or remove it to send a new batch (the old one may then be billed twice).",
    );
  }
  return parsed.data;
}

/** Written whole to a temporary name and renamed, so a crash leaves the old record or the new one. */
export async function writeBatchState(outDirectory: string, state: BatchState): Promise<void> {
  const temporary = `${stateFile(outDirectory)}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temporary, stateFile(outDirectory));
}

/** Removed once the batch's answers are in results.jsonl. */
export const removeBatchState = (outDirectory: string) => rm(stateFile(outDirectory), { force: true });
