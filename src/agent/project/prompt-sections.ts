import type { RunSettings } from "../../store/records.ts";

/** Each AGENTS.md / CLAUDE.md under a heading naming its path, outermost first. */
export function projectInstructionsSection(files: NonNullable<RunSettings["projectInstructions"]>): string | undefined {
  if (files.length === 0) return undefined;
  const parts = files.map((file) => `## ${file.path}\n\n${file.text}`);
  return `# Project instructions\nThe project's own instructions (outermost folder first); follow them.\n\n${parts.join("\n\n")}`;
}

/** One short line per skill: the body is loaded with use_skill only when needed. */
export function skillsSection(skills: NonNullable<RunSettings["skills"]>): string | undefined {
  if (skills.length === 0) return undefined;
  const lines = skills.map((skill) => `- ${skill.name}: ${skill.description}`);
  return `# Skills\nCall use_skill with a skill's name to load its instructions when the task needs it.\n${lines.join("\n")}`;
}
