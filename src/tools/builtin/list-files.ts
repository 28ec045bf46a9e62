import { z } from "zod";
import { resolveEntry } from "../files/resolve-entry.ts";
import { defineTool, ToolInputError } from "../tool.ts";
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
  async execute(input, { workspace, policy, signal }) {
    signal.throwIfAborted();
    const folder = resolveEntry(workspace, input.path ?? ".", { signal });
    const entries: string[] = [];
    try {
      const target = folder.target;
      if (!target) throw new ToolInputError(`No folder at "${input.path}". List its parent to see what exists.`);
      if (!target.stats.isDirectory()) throw new ToolInputError(`"${input.path}" is not a folder; use read_file.`);
      const walk = walkWorkspace(workspace, target, {
        maximumDepth: input.recursive === false ? 0 : 64,
        allowHardLinks: policy.allowHardLinks,
        signal,
      });
      for await (const entry of walk) {
        entries.push(entry);
        if (entries.length >= maximumEntries) {
          entries.push(`[stopped after ${maximumEntries} entries; list a sub-folder]`);
          break;
        }
      }
    } finally {
      folder.close();
    }
    return entries.length > 0 ? entries.join("\n") : "(empty)";
  },
});
