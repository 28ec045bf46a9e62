import type { RunSettings } from "../store/records.ts";
import { planModeInstruction } from "./plan-mode.ts";
import { projectInstructionsSection, skillsSection } from "./project/prompt-sections.ts";

const basePrompt = `You are Tansuo, an agent that completes tasks in a workspace folder by calling tools.
Work step by step: look before you change, make small verified edits, and run commands to check your work when
you can. All paths are relative to the workspace root; you cannot leave it. When the task is done, answer with a
short summary of what you did and the result, without calling any tool.`;

/**
 * The stable prefix of every request: nothing volatile (dates, counters, paths) so the provider's cache hits.
 * Project instructions and the skill list were read once at the run's creation; the mode's note comes last, since
 * switching mode changes the offered tools (also in the prefix) anyway.
 */
export function systemPrompt(settings: RunSettings): string {
  return [
    basePrompt,
    projectInstructionsSection(settings.projectInstructions ?? []),
    skillsSection(settings.skills ?? []),
    settings.instructions,
    settings.mode === "plan" ? planModeInstruction : undefined,
  ]
    .filter(Boolean)
    .join("\n\n");
}
