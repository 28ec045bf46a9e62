import type { HookEventName, HooksSettings } from "../../config/settings-schema.ts";

export type { HookEventName } from "../../config/settings-schema.ts";

/** The hooks a runtime runs: the user's own and the project's trusted ones (untrusted ones never get here). */
export type RunHooks = HooksSettings;

export interface SelectedHook {
  command: string;
  timeoutSeconds: number;
}

const defaultTimeoutSeconds = 60;

/** The commands for an event, in config order; a matcher is a regex on the tool name (absent, "" or "*": all). */
export function selectHooks(hooks: RunHooks | undefined, event: HookEventName, toolName?: string): SelectedHook[] {
  const entries = hooks?.[event] ?? [];
  return entries
    .filter((entry) => matches(entry.matcher, toolName))
    .flatMap((entry) =>
      entry.hooks.map((hook) => ({ command: hook.command, timeoutSeconds: hook.timeout ?? defaultTimeoutSeconds })),
    );
}

function matches(matcher: string | undefined, toolName: string | undefined): boolean {
  if (!matcher || matcher === "*" || toolName === undefined) return true;
  // Claude Code's rule: the whole name must match, so "Bash" does not match "BashOutput".
  return new RegExp(`^(?:${matcher})$`).test(toolName);
}
