import type { RunSettings } from "../../store/records.ts";
import { useSkillToolName } from "../../tools/builtin/use-skill.ts";
import type { AgentRuntime } from "../runtime.ts";
import { findSkills } from "./find-skills.ts";
import { readProjectInstructions } from "./project-instructions.ts";

/**
 * What a new run takes from its project, read once so every call (and resume) sends the same prefix: AGENTS.md /
 * CLAUDE.md and the skill catalogue. Settings that already carry them (`[]` turns either off) are kept as given.
 */
export function readRunProject(
  runtime: AgentRuntime,
  workspace: string,
  settings: Pick<RunSettings, "projectInstructions" | "skills">,
): { settings: Pick<RunSettings, "projectInstructions" | "skills">; extraTools: string[]; warnings: string[] } {
  const hiddenPaths = runtime.toolPolicy.hiddenPaths;
  const warnings: string[] = [];
  let projectInstructions = settings.projectInstructions;
  if (projectInstructions === undefined) {
    const found = readProjectInstructions(workspace, { hiddenPaths });
    warnings.push(...found.warnings);
    projectInstructions = found.files;
  }
  let skills = settings.skills;
  if (skills === undefined) {
    const found = findSkills(workspace, { home: runtime.tansuoHome, hiddenPaths });
    warnings.push(...found.warnings);
    skills = found.skills;
  }
  return {
    settings: {
      ...(projectInstructions.length > 0 ? { projectInstructions } : {}),
      ...(skills.length > 0 ? { skills } : {}),
    },
    extraTools: skills.length > 0 ? [useSkillToolName] : [],
    warnings,
  };
}
