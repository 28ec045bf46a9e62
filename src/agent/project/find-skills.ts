import { lstatSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseSkillFile, type SkillEntry } from "../../tools/skills/skill-file.ts";
import { isInside } from "./project-instructions.ts";

// Names the model can type back exactly; the list in the prompt stays one short line per skill.
const skillNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const maximumDescriptionCharacters = 200;

/**
 * The skills of a run: each folder holding a SKILL.md under the workspace's `.agents/skills/` and `.claude/skills/`,
 * then `$TANSUO_HOME/skills/`. A name found twice keeps the first; a SKILL.md without a name is skipped, warned.
 */
export function findSkills(
  workspace: string,
  options: { home?: string; hiddenPaths: readonly string[] },
): { skills: SkillEntry[]; warnings: string[] } {
  const roots = [path.join(workspace, ".agents", "skills"), path.join(workspace, ".claude", "skills")].filter(
    (root) => !options.hiddenPaths.some((hidden) => isInside(root, hidden)),
  );
  if (options.home) roots.push(path.join(options.home, "skills"));
  const skills: SkillEntry[] = [];
  const warnings: string[] = [];
  for (const root of roots) {
    for (const folder of subfolders(root)) {
      const file = path.join(root, folder, "SKILL.md");
      if (!isRegularFile(file)) continue;
      const { fields } = parseSkillFile(readFileSync(file, "utf8"));
      const name = fields.name ?? "";
      if (!skillNamePattern.test(name)) {
        warnings.push(
          `Skipped the skill ${file}: its front matter needs a name (letters, digits, ".", "_" or "-"; got "${name}").`,
        );
        continue;
      }
      if (skills.some((skill) => skill.name === name)) {
        warnings.push(`Skipped the skill ${file}: a skill named "${name}" was found first.`);
        continue;
      }
      const description = (fields.description ?? "").replace(/\s+/g, " ").trim();
      skills.push({
        name,
        description:
          description.length > maximumDescriptionCharacters
            ? `${description.slice(0, maximumDescriptionCharacters - 1)}…`
            : description,
        path: file,
      });
    }
  }
  return { skills, warnings };
}

function subfolders(root: string): string[] {
  try {
    return readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

function isRegularFile(file: string): boolean {
  try {
    return lstatSync(file).isFile();
  } catch {
    return false;
  }
}
