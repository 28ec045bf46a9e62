import type { ResolvedModel } from "../models/resolved-model.ts";
import type { RetryPolicy } from "../models/retry-policy.ts";
import type { Store } from "../store/store.ts";
import { defaultToolPolicy, type ToolPolicy } from "../tools/tool.ts";
import { EventBus } from "./event-bus.ts";

/** What runs need from the outside: where they are kept and how a model spec becomes a model. */
export interface AgentRuntime {
  store: Store;
  resolveModel(spec: string, options: { baseUrl?: string; retryPolicy?: RetryPolicy }): Promise<ResolvedModel>;
  events: EventBus;
  /** Aborts in-process runs when they are cancelled. */
  activeRuns: Map<string, AbortController>;
  retryPolicy?: RetryPolicy;
  /** What the user's config allows tools (hard links, sandbox) and what they must hide (secrets, config files). */
  toolPolicy: ToolPolicy;
  /** How long a run's lease lasts unless renewed (default 15 s); tests shorten it. */
  leaseMilliseconds?: number;
}

export function createRuntime(options: {
  store: Store;
  resolveModel: AgentRuntime["resolveModel"];
  retryPolicy?: RetryPolicy;
  toolPolicy?: Partial<ToolPolicy>;
  leaseMilliseconds?: number;
}): AgentRuntime {
  return {
    ...options,
    toolPolicy: { ...defaultToolPolicy(), ...options.toolPolicy },
    events: new EventBus(),
    activeRuns: new Map(),
  };
}
