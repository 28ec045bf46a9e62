import { z } from "zod";
import { readSearchableFile } from "../files/read-searchable-file.ts";
import { PatternTooSlowError, RegexMatcher } from "../files/regex-matcher.ts";
import { resolveEntry } from "../files/resolve-entry.ts";
import { defineTool, type Tool, ToolInputError } from "../tool.ts";
import { walkWorkspace } from "./workspace-walk.ts";

const maximumMatches = 200;
// Larger files are data, not source; reading them would stall the search.
const maximumSearchedFileBytes = 2 * 1024 * 1024;
export const defaultSearchTimeLimitMs = 10_000;

/** search_files with its own time limit for the pattern (tests use a short one). */
export function createSearchFilesTool(options: { timeLimitMs: number }): Tool {
  return defineTool({
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
    async execute(input, { workspace, policy, signal }) {
      signal.throwIfAborted();
      const flags = input.ignore_case ? "i" : "";
      try {
        new RegExp(input.pattern, flags);
      } catch (error) {
        throw new ToolInputError(`Invalid regular expression: ${error instanceof Error ? error.message : error}`);
      }
      const start = resolveEntry(workspace, input.path ?? ".", { signal });
      const matcher = new RegexMatcher(input.pattern, flags, { timeLimitMs: options.timeLimitMs, signal });
      const matches: string[] = [];
      let searchedFiles = 0;
      let skippedHardLinks = 0;
      let current = "";
      const withNotes = (text: string) =>
        skippedHardLinks === 0
          ? text
          : `${text}\n[skipped ${skippedHardLinks} file(s) with several hard links; the user can allow them with ` +
            `"files": { "allowHardLinks": true } in $TANSUO_HOME/config.json]`;
      try {
        const target = start.target;
        if (!target?.stats.isDirectory()) {
          throw new ToolInputError(`No folder at "${input.path}"; give a folder to search (read_file reads a file).`);
        }
        const walk = walkWorkspace(workspace, target, { allowHardLinks: policy.allowHardLinks, signal });
        for await (const entry of walk) {
          if (entry.endsWith("/")) continue;
          const file = readSearchableFile(workspace, entry, {
            allowHardLinks: policy.allowHardLinks,
            maximumBytes: maximumSearchedFileBytes,
            signal,
          });
          if (file && "skipped" in file) skippedHardLinks++;
          if (!file || !("text" in file)) continue;
          current = entry;
          const lines = file.text.split("\n");
          for (const index of await matcher.matchingLines(file.text, maximumMatches - matches.length)) {
            matches.push(`${entry}:${index + 1}: ${(lines[index] ?? "").slice(0, 300)}`);
          }
          searchedFiles++;
          if (matches.length >= maximumMatches) {
            return withNotes(`${matches.join("\n")}\n[stopped after ${maximumMatches} matches]`);
          }
        }
      } catch (error) {
        if (!(error instanceof PatternTooSlowError)) throw error;
        throw new ToolInputError(
          `search_files stopped: ${error.message} (nested quantifiers such as (a+)+$ can backtrack for ever). ` +
            `It had searched ${searchedFiles} file(s) and was in "${current}". ` +
            (matches.length > 0 ? `Matches found so far:\n${matches.join("\n")}\n` : "No matches so far. ") +
            "Simplify the pattern (no nested repetition) and search again.",
        );
      } finally {
        start.close();
        matcher.close();
      }
      return withNotes(matches.length > 0 ? matches.join("\n") : "No matches.");
    },
  });
}

export const searchFilesTool = createSearchFilesTool({ timeLimitMs: defaultSearchTimeLimitMs });
