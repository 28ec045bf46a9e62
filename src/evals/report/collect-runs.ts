import { readdir } from "node:fs/promises";
import path from "node:path";
import { readResults, resultsFileName } from "../run/results-file.ts";
import type { SampleResult } from "../run/sample-result.ts";
import { type EvalSummary, summarize } from "../run/summarize.ts";

export interface CollectedRun {
  /** The folder holding the run's results.jsonl, relative to the folder searched. */
  directory: string;
  summary: EvalSummary;
}

/** How many folder levels below the searched folder results are looked for. */
export const maximumDepth = 3;

async function resultFiles(root: string, directory: string, depth: number): Promise<string[]> {
  let entries: Array<{ name: string; isDirectory(): boolean; isFile(): boolean }>;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch {
    return [];
  }
  const files = entries.some((entry) => entry.isFile() && entry.name === resultsFileName)
    ? [path.join(directory, resultsFileName)]
    : [];
  if (depth >= maximumDepth) return files;
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith(".") || entry.name === "node_modules") continue;
    files.push(...(await resultFiles(root, path.join(directory, entry.name), depth + 1)));
  }
  return files;
}

/** Every run (suite and model) recorded in results.jsonl files in a folder and its subfolders, summarised. */
export async function collectRuns(root: string): Promise<CollectedRun[]> {
  const runs: CollectedRun[] = [];
  for (const file of (await resultFiles(root, root, 0)).sort()) {
    const groups = new Map<string, SampleResult[]>();
    for (const result of await readResults(file)) {
      const key = JSON.stringify([result.suite, result.model]);
      groups.set(key, [...(groups.get(key) ?? []), result]);
    }
    for (const [key, results] of groups) {
      const [suite, model] = JSON.parse(key) as [string, string];
      const summary = summarize({ suite, model, reference: model === "reference" }, results);
      runs.push({ directory: path.relative(root, path.dirname(file)) || ".", summary });
    }
  }
  return runs;
}
