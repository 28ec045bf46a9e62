import { readFile, stat } from "node:fs/promises";
import { z } from "zod";
import { defineTool, ToolInputError } from "../tool.ts";

const maximumReadBytes = 10 * 1024 * 1024;

export const readFileTool = defineTool({
  name: "read_file",
  description:
    "Read a text file in the workspace. Returns its lines numbered from 1. Use offset and limit for long files.",
  inputSchema: z.object({
    path: z.string().describe("Path relative to the workspace root"),
    offset: z.number().int().min(1).optional().describe("First line to return, from 1"),
    limit: z.number().int().min(1).optional().describe("How many lines to return"),
  }),
  needsApproval: false,
  readOnly: true,
  async execute(input, { workspace }) {
    const file = workspace.resolve(input.path);
    const info = await stat(file).catch(() => undefined);
    if (!info) throw new ToolInputError(`No file at "${input.path}". Use list_files to see what exists.`);
    if (info.isDirectory()) throw new ToolInputError(`"${input.path}" is a folder; use list_files to read it.`);
    if (info.size > maximumReadBytes) {
      throw new ToolInputError(
        `"${input.path}" is ${info.size} bytes, over the ${maximumReadBytes}-byte limit; use search_files, or run_command with head or grep.`,
      );
    }
    const lines = (await readFile(file, "utf8")).split("\n");
    const start = (input.offset ?? 1) - 1;
    const end = input.limit ? start + input.limit : lines.length;
    return lines
      .slice(start, end)
      .map((line, index) => `${String(start + index + 1).padStart(6)}\t${line}`)
      .join("\n");
  },
});
