import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import type { z } from "zod";
import { DatasetError } from "../eval-errors.ts";

const dataHint = "Point --data at the folder that holds humaneval/, multipl-e/, humaneval-x-js/ and bfcl/.";

async function readText(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === "ENOENT" ? "is missing" : `cannot be read (${code ?? String(error)})`;
    throw new DatasetError(file, `Dataset file ${file} ${what}. ${dataHint}`);
  }
  if (!file.endsWith(".gz")) return bytes.toString("utf8");
  try {
    return gunzipSync(bytes).toString("utf8");
  } catch (error) {
    throw new DatasetError(file, `Dataset file ${file} is not valid gzip (${(error as Error).message}).`);
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.join(".") : "record";
  return `${where}: ${issue.message}`;
}

/** Every non-blank line of a JSON Lines file (plain or .gz), checked against `schema`; errors name file and line. */
export async function readJsonLines<Schema extends z.ZodType>(
  file: string,
  schema: Schema,
): Promise<Array<z.output<Schema>>> {
  const text = await readText(file);
  const records: Array<z.output<Schema>> = [];
  const lines = text.split("\n");
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new DatasetError(file, `${file}:${index + 1} is not valid JSON (${(error as Error).message}).`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 3).map(describeIssue).join("; ");
      throw new DatasetError(file, `${file}:${index + 1} does not have the expected fields: ${issues}.`);
    }
    records.push(parsed.data);
  }
  if (records.length === 0) throw new DatasetError(file, `Dataset file ${file} holds no records.`);
  return records;
}

/** The raw text lines of a JSON Lines file, for parsers that must keep number spellings (BFCL int vs float). */
export async function readRawJsonLines(file: string): Promise<Array<{ line: number; text: string }>> {
  const text = await readText(file);
  const lines: Array<{ line: number; text: string }> = [];
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim() !== "") lines.push({ line: index + 1, text: line });
  }
  if (lines.length === 0) throw new DatasetError(file, `Dataset file ${file} holds no records.`);
  return lines;
}
