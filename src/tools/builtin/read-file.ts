import { z } from "zod";
import { openFileForReading } from "../files/open-file-for-reading.ts";
import { readDescriptor } from "../files/read-descriptor.ts";
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
  async execute(input, { workspace, policy, signal }) {
    signal.throwIfAborted();
    const entry = openFileForReading(workspace, input.path, { allowHardLinks: policy.allowHardLinks, signal });
    let content: string;
    try {
      if (entry.target.stats.size > maximumReadBytes) {
        throw new ToolInputError(
          `"${input.path}" is ${entry.target.stats.size} bytes, over the ${maximumReadBytes}-byte limit; use search_files, or run_command with head or grep.`,
        );
      }
      content = readDescriptor(entry.target.fd, maximumReadBytes, signal).toString("utf8");
    } finally {
      entry.close();
    }
    const lines = content.split("\n");
    const start = (input.offset ?? 1) - 1;
    const end = input.limit ? start + input.limit : lines.length;
    return lines
      .slice(start, end)
      .map((line, index) => `${String(start + index + 1).padStart(6)}\t${line}`)
      .join("\n");
  },
});
