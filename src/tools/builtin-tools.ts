import { editFileTool } from "./builtin/edit-file.ts";
import { jobOutputTool } from "./builtin/job-output.ts";
import { jobStopTool } from "./builtin/job-stop.ts";
import { listFilesTool } from "./builtin/list-files.ts";
import { readFileTool } from "./builtin/read-file.ts";
import { runCommandTool } from "./builtin/run-command.ts";
import { searchFilesTool } from "./builtin/search-files.ts";
import { useSkillTool } from "./builtin/use-skill.ts";
import { writeFileTool } from "./builtin/write-file.ts";
import type { Tool } from "./tool.ts";

/** Built-in tools in a fixed order: tool definitions sit in the cached prompt prefix, so the order never changes. */
export const builtinTools: readonly Tool[] = [
  readFileTool,
  writeFileTool,
  editFileTool,
  listFilesTool,
  searchFilesTool,
  runCommandTool,
  jobOutputTool,
  jobStopTool,
  // Offered only to runs with skills (startRun names it), so runs without any keep their prefix.
  useSkillTool,
];
