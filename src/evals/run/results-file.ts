import { appendFile, readFile, truncate } from "node:fs/promises";
import { EvalUsageError } from "../eval-errors.ts";
import { type SampleResult, sampleResultSchema } from "./sample-result.ts";

export const resultsFileName = "results.jsonl";

/**
 * Every result in a results.jsonl; a missing file is an empty run. A last line cut off by a crash is dropped
 * (and cut from the file, so the next append starts clean); a damaged line elsewhere is an error naming it.
 */
export async function readResults(file: string): Promise<SampleResult[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const lines = text.split("\n");
  const results: SampleResult[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    let parsed: ReturnType<typeof sampleResultSchema.safeParse> | undefined;
    try {
      parsed = sampleResultSchema.safeParse(JSON.parse(line));
    } catch {
      parsed = undefined;
    }
    if (parsed?.success) {
      results.push(parsed.data);
      continue;
    }
    if (index === lines.length - 1 && !text.endsWith("\n")) {
      await truncate(file, Buffer.byteLength(text) - Buffer.byteLength(line));
      break;
    }
    throw new EvalUsageError(
      `${file}:${index + 1} is not a result line. Remove or fix that line, or choose another --out folder.`,
    );
  }
  return results;
}

/** Appends results one line each, in order, so a crash loses at most the line being written. */
export class ResultsWriter {
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  append(result: SampleResult): Promise<void> {
    this.pending = this.pending.then(() => appendFile(this.file, `${JSON.stringify(result)}\n`));
    return this.pending;
  }

  flush(): Promise<void> {
    return this.pending;
  }
}
