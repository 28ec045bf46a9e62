import { z } from "zod";
import { requireReadableFile } from "../files/open-file-for-reading.ts";
import { readDescriptor } from "../files/read-descriptor.ts";
import { replaceEntryContent } from "../files/replace-file.ts";
import { resolveEntry } from "../files/resolve-entry.ts";
import { defineTool, ToolInputError } from "../tool.ts";

const maximumEditedBytes = 10 * 1024 * 1024;

export const editFileTool = defineTool({
  name: "edit_file",
  description:
    "Replace an exact piece of text in a file. old_text must occur exactly once unless replace_all is true; " +
    "include enough surrounding lines to make it unique.",
  inputSchema: z.object({
    path: z.string().describe("Path relative to the workspace root"),
    old_text: z.string().min(1).describe("The exact text to replace, whitespace included"),
    new_text: z.string().describe("The text to put in its place"),
    replace_all: z.boolean().optional().describe("Replace every occurrence instead of exactly one"),
  }),
  needsApproval: false,
  readOnly: false,
  changesPaths: (input) => [input.path],
  async execute(input, { workspace, policy, signal }) {
    signal.throwIfAborted();
    const entry = resolveEntry(workspace, input.path, { signal });
    try {
      if (!entry.target) throw new ToolInputError(`No file at "${input.path}"; use write_file to create it.`);
      // Reading to edit is a read: a file with several hard links is refused like read_file refuses it.
      requireReadableFile(entry, input.path, policy.allowHardLinks);
      if (entry.target.stats.size > maximumEditedBytes) {
        throw new ToolInputError(
          `"${input.path}" is ${entry.target.stats.size} bytes, over the ${maximumEditedBytes}-byte limit for edits; use run_command with sed.`,
        );
      }
      const content = readDescriptor(entry.target.fd, maximumEditedBytes, signal).toString("utf8");
      const occurrences = content.split(input.old_text).length - 1;
      if (occurrences === 0) {
        throw new ToolInputError(`old_text was not found in ${input.path}; read the file and copy the text exactly.`);
      }
      if (occurrences > 1 && !input.replace_all) {
        throw new ToolInputError(
          `old_text occurs ${occurrences} times in ${input.path}; add surrounding lines to make it unique, or set replace_all.`,
        );
      }
      const updated = input.replace_all
        ? content.split(input.old_text).join(input.new_text)
        : content.replace(input.old_text, () => input.new_text);
      signal.throwIfAborted();
      replaceEntryContent(workspace, entry, input.path, updated);
      return `Replaced ${input.replace_all ? occurrences : 1} occurrence(s) in ${input.path}`;
    } finally {
      entry.close();
    }
  },
});
