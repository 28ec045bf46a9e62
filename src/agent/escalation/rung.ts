import type { ThinkingSetting } from "../../models/providers/provider-descriptor.ts";

/** One place on an escalation ladder: a model, with thinking on or off. */
export interface Rung {
  model: string;
  thinking: boolean;
}

/** A ladder model's name and whether the catalog says it can think. */
export interface LadderModel {
  model: string;
  canThink: boolean;
}

/**
 * The rungs of a ladder, cheapest first: each model non-thinking, then thinking (a model that cannot think has one
 * rung). `--thinking off` keeps only the non-thinking rungs; `--thinking on` starts at the first thinking rung.
 */
export function ladderRungs(
  models: readonly LadderModel[],
  thinking: ThinkingSetting,
): { rungs: Rung[]; start: number } {
  const rungs: Rung[] = [];
  for (const { model, canThink } of models) {
    rungs.push({ model, thinking: false });
    if (canThink && thinking !== "off") rungs.push({ model, thinking: true });
  }
  const firstThinking = rungs.findIndex((rung) => rung.thinking);
  return { rungs, start: thinking === "on" && firstThinking !== -1 ? firstThinking : 0 };
}

export const sameRung = (left: Rung, right: Rung): boolean =>
  left.model === right.model && left.thinking === right.thinking;

export const rungName = (rung: Rung): string => `${rung.model} (thinking ${rung.thinking ? "on" : "off"})`;
