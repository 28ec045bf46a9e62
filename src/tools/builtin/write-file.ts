import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { defineTool } from "../tool.ts";

export const writeFileTool = defineTool({
  name: "write_file",
  description: "Create or overwrite a file in the workspace with the given content. Creates missing folders.",
  inputSchema: z.object({
    path: z.string().describe("Path relative to the workspace root"),
    content: z.string().describe("The whole new content of the file"),
  }),
  needsApproval: false,
  readOnly: false,
  async execute(input, { workspace }) {
    const file = workspace.resolve(input.path);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, input.content, "utf8");
    return `Wrote ${Buffer.byteLength(input.content)} bytes to ${workspace.relative(file)}`;
  },
});
