import type { ResolvedModel } from "../models/resolved-model.ts";
import type { RetryPolicy } from "../models/retry-policy.ts";
import type { Store } from "../store/store.ts";
import { defaultToolPolicy, type Tool, type ToolPolicy } from "../tools/tool.ts";
import { ToolRegistry } from "../tools/tool-registry.ts";
import { EventBus } from "./event-bus.ts";
import type { RunHooks } from "./hooks/run-hooks-config.ts";
import type { ObserveRun } from "./run-observer.ts";

/** What runs need from the outside: where they are kept and how a model spec becomes a model. */
export interface AgentRuntime {
  store: Store;
  resolveModel(spec: string, options: { baseUrl?: string; retryPolicy?: RetryPolicy }): Promise<ResolvedModel>;
  /** The built-in tools and the user's own, by name; runs offer the ones their settings list. */
  tools: ToolRegistry;
  events: EventBus;
  /** Aborts in-process runs when they are cancelled. */
  activeRuns: Map<string, AbortController>;
  retryPolicy?: RetryPolicy;
  /** What the user's config allows tools (hard links, sandbox) and what they must hide (secrets, config files). */
  toolPolicy: ToolPolicy;
  /** How long a run's lease lasts unless renewed (default 15 s); tests shorten it. */
  leaseMilliseconds?: number;
  /** Watches each execution of a run (telemetry's spans); absent, nothing watches. */
  observeRun?: ObserveRun;
  /** On a store that notifies, how often a follower of a run executed elsewhere reads it anyway (default 5 s). */
  followerSafetyPollMilliseconds?: number;
  /** Commands run around tool calls, prompts and the run's end (config `hooks`; project hooks only once trusted). */
  hooks?: RunHooks;
  /** Where background jobs are recorded ($TANSUO_HOME/jobs), so a crashed process's jobs are killed later. */
  jobsFolder?: string;
  /** $TANSUO_HOME: runs find the user's own skills in its skills/ folder. */
  tansuoHome?: string;
}

export function createRuntime(options: {
  store: Store;
  resolveModel: AgentRuntime["resolveModel"];
  retryPolicy?: RetryPolicy;
  toolPolicy?: Partial<ToolPolicy>;
  leaseMilliseconds?: number;
  observeRun?: ObserveRun;
  followerSafetyPollMilliseconds?: number;
  jobsFolder?: string;
  /** Your own tools (made with `defineTool`), offered beside the built-ins; a name may be used only once. */
  tools?: readonly Tool[];
  hooks?: RunHooks;
  /** $TANSUO_HOME, whose skills/ folder holds the user's own skills. */
  tansuoHome?: string;
}): AgentRuntime {
  const { tools, ...rest } = options;
  const toolPolicy = { ...defaultToolPolicy(), ...options.toolPolicy };
  return {
    ...rest,
    tools: new ToolRegistry(tools, { web: toolPolicy.web }),
    toolPolicy,
    events: new EventBus(),
    activeRuns: new Map(),
  };
}
