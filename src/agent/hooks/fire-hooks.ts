import { redactSecrets } from "../../tools/secret-environment.ts";
import type { ToolPolicy } from "../../tools/tool.ts";
import type { RunEvent } from "../run-events.ts";
import { runHookProcess } from "./hook-process.ts";
import { type HookVerdict, hookVerdict } from "./hook-verdict.ts";
import { type HookEventName, type RunHooks, selectHooks } from "./run-hooks-config.ts";

/** What a hook needs from where it fires. */
export interface HookSite {
  hooks: RunHooks | undefined;
  policy: ToolPolicy;
  workspace: string;
  signal: AbortSignal;
  emit: (event: RunEvent) => void;
  warn: (message: string) => void;
  /** The run's id (Claude Code's `session_id`); empty before the run exists. */
  runId: string;
}

/** The hooks' joint answer: the first block stops the rest; contexts add up; a later input change wins. */
export type CombinedVerdict = Omit<HookVerdict, "failure" | "additionalContext"> & { additionalContext: string[] };

/**
 * Runs the event's matching hooks one after another, with the event as Claude Code shapes it on stdin. Each hook is
 * a `hook` event; one that fails or hangs is reported and counts as allow, so it never takes the run down.
 */
export async function fireHooks(
  site: HookSite,
  event: HookEventName,
  fields: Record<string, unknown>,
  options: { toolName?: string; plainStdoutIsContext?: boolean } = {},
): Promise<CombinedVerdict> {
  const combined: CombinedVerdict = { additionalContext: [] };
  const secrets = site.policy.secrets;
  for (const hook of selectHooks(site.hooks, event, options.toolName)) {
    const input = {
      session_id: site.runId,
      cwd: site.workspace,
      hook_event_name: event,
      permission_mode: "default",
      ...fields,
      ...(combined.updatedInput ? { tool_input: combined.updatedInput } : {}),
    };
    const result = await runHookProcess({
      command: hook.command,
      input,
      workspace: site.workspace,
      policy: site.policy,
      timeoutSeconds: hook.timeoutSeconds,
      signal: site.signal,
      warn: site.warn,
    });
    const verdict = hookVerdict(result, options.plainStdoutIsContext ?? false);
    const command = redactSecrets(hook.command, secrets);
    if (verdict.failure) {
      const message = redactSecrets(verdict.failure.message, secrets);
      site.emit({ type: "hook", event, command, outcome: verdict.failure.timedOut ? "timed-out" : "failed", message });
      site.warn(`${event} hook \`${command}\` ${message}; treated as allow`);
      continue;
    }
    if (verdict.additionalContext) combined.additionalContext.push(redactSecrets(verdict.additionalContext, secrets));
    if (verdict.updatedInput) combined.updatedInput = verdict.updatedInput;
    if (verdict.allow) combined.allow = true;
    if (verdict.ask) combined.ask = true;
    if (verdict.block !== undefined) {
      combined.block = redactSecrets(verdict.block, secrets);
      site.emit({ type: "hook", event, command, outcome: "blocked", message: combined.block });
      break;
    }
    const changed = verdict.updatedInput !== undefined || verdict.additionalContext !== undefined;
    site.emit({ type: "hook", event, command, outcome: changed ? "changed" : "allowed" });
  }
  return combined;
}

/** Whether an event has any hook at all (so nothing is prepared for runs without hooks). */
export const hasHooks = (hooks: RunHooks | undefined, event: HookEventName, toolName?: string) =>
  selectHooks(hooks, event, toolName).length > 0;
