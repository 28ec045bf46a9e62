import { fireHooks, hasHooks } from "./fire-hooks.ts";
import type { StopHookContext } from "./stop-hooks.ts";

/** PreCompact, before a compaction step: Claude Code's `trigger` is "auto" (Tansuo compacts on its own only). */
export async function preCompactHooks(context: StopHookContext): Promise<void> {
  if (!hasHooks(context.runtime.hooks, "PreCompact")) return;
  await fireHooks(
    {
      hooks: context.runtime.hooks,
      policy: context.runtime.toolPolicy,
      workspace: context.settings.workspace,
      signal: context.signal,
      emit: context.emit,
      warn: (message) => context.emit({ type: "warning", message }),
      runId: context.runId,
    },
    "PreCompact",
    { trigger: "auto", custom_instructions: "" },
  );
}
