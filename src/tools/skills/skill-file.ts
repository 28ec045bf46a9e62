/** A skill as a run's catalogue holds it: the name the model asks for, what it is for, and its SKILL.md. */
export interface SkillEntry {
  name: string;
  description: string;
  /** Absolute path of the skill's SKILL.md. */
  path: string;
}

/** SKILL.md split into its front matter (`key: value` lines between `---` lines) and its body. */
export function parseSkillFile(text: string): { fields: Record<string, string>; body: string } {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (lines[0]?.trim() !== "---") return { fields: {}, body: text };
  const end = lines.findIndex((line, index) => index > 0 && line.trim() === "---");
  if (end < 0) return { fields: {}, body: text };
  const fields: Record<string, string> = {};
  for (const line of lines.slice(1, end)) {
    const match = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!match) continue;
    fields[match[1]!] = unquoted(match[2]!.trim());
  }
  return {
    fields,
    body: lines
      .slice(end + 1)
      .join("\n")
      .trim(),
  };
}

function unquoted(value: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(value);
  return quoted ? quoted[2]! : value;
}
