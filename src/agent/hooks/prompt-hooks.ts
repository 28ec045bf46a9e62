import { TansuoError } from "../../errors/tansuo-error.ts";
import type { RunEvent } from "../run-events.ts";
import type { AgentRuntime } from "../runtime.ts";
import { fireHooks, type HookSite, hasHooks } from "./fire-hooks.ts";

/** A UserPromptSubmit hook refused the task or message; nothing was stored. */
export class PromptBlockedError extends TansuoError {
  override readonly name = "PromptBlockedError";
  readonly kind = "user";
}

export interface HookedPrompt {
  /** The prompt with what the hooks added after it: stored as the task or message, so resume sends the same. */
  text: string;
  /** Stores the hook events (the run may not have existed when they ran) and publishes them. */
  record(runId: string): Promise<void>;
}

/**
 * UserPromptSubmit for a task or a person's message (and SessionStart, source "startup", for a new run): a block
 * throws PromptBlockedError with the hook's reason; additionalContext (or plain stdout) is appended to the prompt.
 */
export async function promptWithHooks(
  runtime: AgentRuntime,
  options: { prompt: string; workspace: string; runId?: string; newRun: boolean },
): Promise<HookedPrompt> {
  const events: RunEvent[] = [];
  const nothing: HookedPrompt = { text: options.prompt, record: async () => {} };
  const { hooks } = runtime;
  if (!hasHooks(hooks, "UserPromptSubmit") && !(options.newRun && hasHooks(hooks, "SessionStart"))) return nothing;
  const site: HookSite = {
    hooks,
    policy: runtime.toolPolicy,
    workspace: options.workspace,
    signal: new AbortController().signal,
    emit: (event) => events.push(event),
    warn: (message) => events.push({ type: "warning", message }),
    runId: options.runId ?? "",
  };
  const contexts: string[] = [];
  if (options.newRun) {
    const started = await fireHooks(site, "SessionStart", { source: "startup" }, { plainStdoutIsContext: true });
    contexts.push(...started.additionalContext);
  }
  const submitted = await fireHooks(
    site,
    "UserPromptSubmit",
    { prompt: options.prompt },
    { plainStdoutIsContext: true },
  );
  if (submitted.block !== undefined) {
    throw new PromptBlockedError(
      `A UserPromptSubmit hook refused this prompt: ${submitted.block}. Nothing was stored.`,
    );
  }
  contexts.push(...submitted.additionalContext);
  return {
    text: contexts.length === 0 ? options.prompt : [options.prompt, ...contexts].join("\n\n"),
    record: async (runId) => {
      if (events.length === 0) return;
      const stored = await runtime.store.appendEvents(
        runId,
        events.map((event) => ({ type: event.type, data: event })),
      );
      for (const [index, record] of stored.entries()) {
        runtime.events.publish(runId, { ...events[index]!, sequence: record.sequence });
      }
    },
  };
}
