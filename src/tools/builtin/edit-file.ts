import { readFile, writeFile } from "node:fs/promises";
import { z } from "zod";
import { defineTool, ToolInputError } from "../tool.ts";

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
  async execute(input, { workspace }) {
    const file = workspace.resolve(input.path);
    const content = await readFile(file, "utf8").catch(() => {
      throw new ToolInputError(`No file at "${input.path}"; use write_file to create it.`);
    });
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
    await writeFile(file, updated, "utf8");
    return `Replaced ${input.replace_all ? occurrences : 1} occurrence(s) in ${input.path}`;
  },
});
