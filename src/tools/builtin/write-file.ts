import { z } from "zod";
import { replaceEntryContent } from "../files/replace-file.ts";
import { resolveEntry } from "../files/resolve-entry.ts";
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
  changesPaths: (input) => [input.path],
  async execute(input, { workspace, signal }) {
    signal.throwIfAborted();
    const entry = resolveEntry(workspace, input.path, { createMissingFolders: true, signal });
    try {
      const { previousLinks } = replaceEntryContent(workspace, entry, input.path, input.content);
      const note =
        previousLinks > 1 ? ` (it had ${previousLinks} hard links; only this name holds the new content)` : "";
      return `Wrote ${Buffer.byteLength(input.content)} bytes to ${workspace.relative(entry.path)}${note}`;
    } finally {
      entry.close();
    }
  },
});
