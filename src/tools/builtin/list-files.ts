import { z } from "zod";
import { defineTool } from "../tool.ts";
import { walkWorkspace } from "./workspace-walk.ts";

const maximumEntries = 1000;

export const listFilesTool = defineTool({
  name: "list_files",
  description: "List files and folders (folders end with /) under a workspace folder, skipping .gitignore'd paths.",
  inputSchema: z.object({
    path: z.string().optional().describe("Folder relative to the workspace root; the root when omitted"),
    recursive: z.boolean().optional().describe("Descend into sub-folders (default true)"),
  }),
  needsApproval: false,
  readOnly: true,
  async execute(input, { workspace }) {
    const folder = workspace.resolve(input.path ?? ".");
    const entries: string[] = [];
    for await (const entry of walkWorkspace(workspace, folder, input.recursive === false ? 0 : 64)) {
      entries.push(entry);
      if (entries.length >= maximumEntries) {
        entries.push(`[stopped after ${maximumEntries} entries; list a sub-folder]`);
        break;
      }
    }
    return entries.length > 0 ? entries.join("\n") : "(empty)";
  },
});
