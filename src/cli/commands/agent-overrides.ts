import type { NewRunSettings } from "../../agent/index.ts";

/** The fields a configured agent sets (`--agent`); the ones it leaves unset keep the command line's values. */
export function agentOverrides(settings: NewRunSettings | undefined): Partial<NewRunSettings> {
  if (!settings) return {};
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}
