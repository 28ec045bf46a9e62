import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { defineTool, ToolInputError } from "../tool.ts";
import { walkWorkspace } from "./workspace-walk.ts";

const maximumMatches = 200;
// Larger files are data, not source; reading them would stall the search.
const maximumSearchedFileBytes = 2 * 1024 * 1024;

export const searchFilesTool = defineTool({
  name: "search_files",
  description:
    "Search the workspace's text files for a regular expression (JavaScript syntax). Returns path:line: text " +
    "for each match. Respects .gitignore.",
  inputSchema: z.object({
    pattern: z.string().min(1).describe("Regular expression to look for"),
    path: z.string().optional().describe("Folder to search, relative to the workspace root"),
    ignore_case: z.boolean().optional(),
  }),
  needsApproval: false,
  readOnly: true,
  async execute(input, { workspace }) {
    let expression: RegExp;
    try {
      expression = new RegExp(input.pattern, input.ignore_case ? "i" : "");
    } catch (error) {
      throw new ToolInputError(`Invalid regular expression: ${error instanceof Error ? error.message : error}`);
    }
    const folder = workspace.resolve(input.path ?? ".");
    const matches: string[] = [];
    for await (const entry of walkWorkspace(workspace, folder)) {
      if (entry.endsWith("/")) continue;
      const file = path.join(workspace.root, entry);
      if (((await stat(file).catch(() => undefined))?.size ?? 0) > maximumSearchedFileBytes) continue;
      const content = await readFile(file, "utf8").catch(() => "");
      if (content.includes("\0")) continue;
      const lines = content.split("\n");
      for (let index = 0; index < lines.length; index++) {
        if (!expression.test(lines[index] ?? "")) continue;
        matches.push(`${entry}:${index + 1}: ${(lines[index] ?? "").slice(0, 300)}`);
        if (matches.length >= maximumMatches) return `${matches.join("\n")}\n[stopped after ${maximumMatches} matches]`;
      }
    }
    return matches.length > 0 ? matches.join("\n") : "No matches.";
  },
});
