import path from "node:path";
import {
  AgentNotConfiguredError,
  type AgentRuntime,
  addMessage,
  configuredAgentRun,
  executeRun,
  type NewRunSettings,
  RunStateError,
  startRun,
  UnknownAgentError,
} from "../agent/index.ts";
import { goneLeaseOwner } from "../agent/run-lease.ts";
import type { Settings } from "../config/settings-schema.ts";
import type { RunRecord } from "../store/records.ts";
import { WorkspaceError } from "../tools/workspace-error.ts";
import { seesEverything } from "./caller-scope.ts";
import type { Caller } from "./gateway-env.ts";
import { InvalidRequestError, NotFoundError, ServerFaultError } from "./gateway-errors.ts";
import type { KeyBudget } from "./key-budget.ts";

export interface AgentRunsOptions {
  runtime: AgentRuntime;
  settings: Settings;
  budget: KeyBudget;
  /** Where agents without a configured workspace get one, a folder per agent. */
  workspaceDirectory: string;
}

/** Server-side runs of configured agents: started for a caller, owned by the caller's key, visible only to it. */
export class AgentRuns {
  private readonly executions = new Set<Promise<unknown>>();

  constructor(private readonly options: AgentRunsOptions) {}

  get runtime(): AgentRuntime {
    return this.options.runtime;
  }

  /**
   * Creates a queued run of the named agent, with the agent's budget (or the caller's, if lower). The key's budget
   * is not copied into it: each call of the run holds its worst case against the key's budget too, so concurrent
   * runs and requests cannot together spend past it. A key that has spent its budget gets 402 here.
   */
  /** The model the named agent runs on (its own, else the config's default); undefined for no such agent. */
  modelOf(agentName: string): string | undefined {
    const agent = this.options.settings.agents[agentName];
    return agent && (agent.model ?? this.options.settings.defaultModel);
  }

  /**
   * Creates the run; with `queue` (or config `server.runsOnWorkers`) it is left for `tansuo worker` processes, and
   * continueInBackground then leaves it alone.
   */
  async start(
    caller: Caller,
    agentName: string,
    task: string,
    budgetUsd?: string,
    options: { queue?: boolean } = {},
  ): Promise<RunRecord> {
    const onWorkers = options.queue ?? this.options.settings.server.runsOnWorkers;
    let runSettings: NewRunSettings;
    try {
      runSettings = configuredAgentRun(this.options.settings, agentName, {
        task,
        budgetUsd,
        defaultWorkspace: path.join(this.options.workspaceDirectory, agentName),
      });
    } catch (error) {
      if (error instanceof UnknownAgentError) {
        throw new NotFoundError(`No agent "${agentName}". GET /v1/models lists agents as agent:<name>.`, {
          code: "agent_not_found",
          param: "agent",
        });
      }
      if (error instanceof AgentNotConfiguredError) throw new ServerFaultError(error.message, "agent_not_configured");
      if (error instanceof WorkspaceError) throw workspaceRefusal(agentName, error);
      throw error;
    }
    await this.options.budget.refuseIfSpent(caller.key);
    try {
      const settings = onWorkers ? { ...runSettings, onWorkers: true } : runSettings;
      return await startRun(this.options.runtime, settings, { ownerKeyId: caller.key?.id });
    } catch (error) {
      if (error instanceof WorkspaceError) throw workspaceRefusal(agentName, error);
      const reason = error instanceof Error ? error.message : String(error);
      throw new ServerFaultError(`Agent "${agentName}" is misconfigured: ${reason}`, "agent_not_configured");
    }
  }

  /** The run, if the caller may see it: its own key's runs, or every run for an admin key or local use. */
  async visible(caller: Caller, runId: string): Promise<RunRecord> {
    const run = await this.options.runtime.store.getRun(runId);
    if (!run || (!seesEverything(caller) && run.ownerKeyId !== caller.key?.id)) {
      throw new NotFoundError(`No run ${runId} for this key. GET /v1/runs lists your runs.`, {
        code: "run_not_found",
      });
    }
    return run;
  }

  /**
   * Adds a person's message to the caller's finished run and queues it (continue it with continueInBackground).
   * A key that has spent its budget gets 402 here, as when starting a run.
   */
  async addMessage(caller: Caller, runId: string, content: string): Promise<RunRecord> {
    const run = await this.visible(caller, runId);
    await this.options.budget.refuseIfSpent(caller.key);
    return await addMessage(this.options.runtime, run.id, content);
  }

  /**
   * Checks that the caller's run can be resumed as `tansuo resume` would (continue it with continueInBackground):
   * not succeeded or cancelled, not waiting for approval, not held by a live process. A spent key gets 402.
   */
  async resumable(caller: Caller, runId: string): Promise<RunRecord> {
    const run = await this.visible(caller, runId);
    const { store } = this.options.runtime;
    if (run.status === "succeeded" || run.status === "cancelled") {
      throw new RunStateError(`Run ${run.id} is ${run.status}: it is final. Start a new run, or add a message to it.`);
    }
    if (run.status === "awaiting_approval") {
      throw new RunStateError(`Run ${run.id} waits for approval: answer it with POST /v1/runs/${run.id}/approve.`);
    }
    const lease = await store.leaseOf(run.id);
    if (this.options.runtime.activeRuns.has(run.id) || (lease && goneLeaseOwner(lease) === undefined)) {
      throw new RunStateError(`Run ${run.id} is being executed by a live process; wait for it, or cancel it.`);
    }
    await this.options.budget.refuseIfSpent(caller.key);
    return run;
  }

  /**
   * Runs (or continues) a run without waiting; `done` is called when it finishes or waits for approval. A run left
   * for workers stays queued for them (its approval or message queued it): `done` is called at once.
   */
  continueInBackground(run: RunRecord, done: () => void): void {
    if (run.settings.onWorkers) {
      done();
      return;
    }
    const execution = executeRun(this.options.runtime, run.id)
      .catch(() => {
        // executeRun records its own failures on the run; nothing is left to report here.
      })
      .finally(() => {
        done();
        this.executions.delete(execution);
      });
    this.executions.add(execution);
  }

  /** Background runs still going (they keep going after the server stops listening). */
  get inFlight(): number {
    return this.executions.size;
  }

  /** Waits for background runs to finish or pause; for tests and orderly shutdowns. */
  async settled(): Promise<void> {
    while (this.executions.size > 0) await Promise.allSettled([...this.executions]);
  }
}

/** A 400 before any run exists: retrying cannot help until the agent's workspace is a folder. */
const workspaceRefusal = (agentName: string, error: WorkspaceError) =>
  new InvalidRequestError(`Agent "${agentName}" cannot run: ${error.message} No run was created.`, {
    code: "invalid_workspace",
    param: "workspace",
  });
