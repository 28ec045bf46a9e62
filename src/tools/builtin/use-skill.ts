import { lstatSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { parseSkillFile } from "../skills/skill-file.ts";
import { defineTool, ToolInputError } from "../tool.ts";

export const useSkillToolName = "use_skill";
// A skill's other files are listed, not read; a long list is cut so one skill cannot flood the context.
const maximumListedFiles = 50;
const maximumSkillFileBytes = 256 * 1024;

/**
 * Loads a skill of the run's catalogue on demand: its SKILL.md body and the names of its other files (or one of
 * them with `file`). It reads only the catalogue's folders, even under $TANSUO_HOME/skills.
 */
export const useSkillTool = defineTool({
  name: useSkillToolName,
  description:
    "Load one of the skills listed in the system prompt: returns its instructions (SKILL.md) and the names of its other files; pass file to read one of those.",
  inputSchema: z.object({
    name: z.string().describe("The skill's name, as listed"),
    file: z.string().optional().describe("A file of the skill folder, relative to it (default: SKILL.md)"),
  }),
  needsApproval: false,
  readOnly: true,
  onlyWhenNamed: true,
  async execute(input, { skills = [] }) {
    const skill = skills.find((candidate) => candidate.name === input.name);
    if (!skill) {
      const names = skills.map((candidate) => candidate.name).join(", ") || "none";
      throw new ToolInputError(`No skill named "${input.name}". Skills of this run: ${names}.`);
    }
    const folder = path.dirname(skill.path);
    if (input.file !== undefined && input.file !== "SKILL.md") return readSkillFile(folder, input.file, skill.name);
    const { body } = parseSkillFile(readFileSync(skill.path, "utf8"));
    const others = listFiles(folder).filter((file) => file !== "SKILL.md");
    const listing =
      others.length === 0
        ? ""
        : `\n\nOther files of this skill (read one with use_skill { name: "${skill.name}", file }):\n${others.map((file) => `- ${file}`).join("\n")}`;
    return `Skill ${skill.name}:\n\n${body}${listing}`;
  },
});

function readSkillFile(folder: string, file: string, name: string): string {
  const root = realpathSync(folder);
  let target: string;
  try {
    target = realpathSync(path.resolve(folder, file));
  } catch {
    throw new ToolInputError(`The skill ${name} has no file "${file}".`);
  }
  const relative = path.relative(root, target);
  if (relative.startsWith("..") || path.isAbsolute(relative)) {
    throw new ToolInputError(`"${file}" is outside the skill ${name}'s folder; only its own files can be read.`);
  }
  const stats = lstatSync(target);
  if (!stats.isFile()) throw new ToolInputError(`"${file}" of the skill ${name} is not a file.`);
  if (stats.size > maximumSkillFileBytes) {
    throw new ToolInputError(`"${file}" of the skill ${name} is ${stats.size} bytes, over the 256 KB limit.`);
  }
  return readFileSync(target, "utf8");
}

/** The folder's files, relative, depth first in name order; symbolic links are not followed. */
function listFiles(folder: string, prefix = "", found: string[] = []): string[] {
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(path.join(folder, prefix), { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries.sort((left, right) => left.name.localeCompare(right.name))) {
    if (found.length >= maximumListedFiles) return found;
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) listFiles(folder, relative, found);
    else if (entry.isFile()) found.push(relative);
  }
  return found;
}
