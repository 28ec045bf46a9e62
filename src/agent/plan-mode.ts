import { lstatSync } from "node:fs";
import path from "node:path";
import type { RunSettings } from "../store/records.ts";
import type { Tool } from "../tools/tool.ts";

/** The one file a run in plan mode may write, at the workspace root. */
export const planFileName = "PLAN.md";
const planFileTools = ["write_file", "edit_file"];

export const planModeInstruction = `# Plan mode
You are planning, not doing. Look around with the read-only tools and write your plan to ${planFileName} at the
workspace root (write_file or edit_file). Every other change and every command is refused until the person
switches to normal mode. When the plan is ready, answer with a short summary of it.`;

/** What the model is offered: in plan mode only read-only tools and the tools that write the plan file. */
export function offeredTools(settings: RunSettings, tools: Tool[]): Tool[] {
  if (settings.mode !== "plan") return tools;
  return tools.filter((tool) => tool.readOnly || planFileTools.includes(tool.name));
}

/**
 * Why the runtime refuses a call in plan mode (a tool error the model reads), or undefined when it may run: any
 * call that may change something, unless it writes PLAN.md itself (not a link to another file).
 */
export function planModeRefusal(settings: RunSettings, tool: Tool, input: string): string | undefined {
  if (settings.mode !== "plan" || tool.readOnly) return undefined;
  if (planFileTools.includes(tool.name) && writesPlanFile(settings.workspace, input)) return undefined;
  return (
    `Refused: this run is in plan mode, where ${tool.name} may not run; only read-only tools and writes to ` +
    `${planFileName} are allowed. Write your plan to ${planFileName}; the person switches to normal mode to carry it out.`
  );
}

function writesPlanFile(workspace: string, input: string): boolean {
  let target: unknown;
  try {
    target = (JSON.parse(input) as { path?: unknown }).path;
  } catch {
    return false;
  }
  if (typeof target !== "string") return false;
  const planFile = path.join(workspace, planFileName);
  if (path.resolve(workspace, target) !== planFile) return false;
  try {
    return !lstatSync(planFile).isSymbolicLink();
  } catch {
    return true;
  }
}
