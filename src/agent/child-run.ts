import { randomUUID } from "node:crypto";
import { maxAgentDepth } from "../config/agent-tool-references.ts";
import { remainingUsd } from "../cost/budget-arithmetic.ts";
import { Usd } from "../cost/usd.ts";
import type { BudgetAccount } from "../store/budget-records.ts";
import { processOwner } from "../store/process-owner.ts";
import type { RunRecord } from "../store/records.ts";
import { ToolInputError } from "../tools/tool.ts";
import type { AnswerCheck } from "./answer-check.ts";
import { lowestBudget } from "./configured-agent.ts";
import { executeRun } from "./execute-run.ts";
import { type NewRunSettings, startRun } from "./run-control.ts";
import type { RunningToolCall } from "./running-tool-call.ts";
import type { AgentRuntime } from "./runtime.ts";

/** An agent another one can call: a configured agent (`agent:<name>`) or a library `Agent` (`asTool()`). */
export interface ChildAgent {
  name: string;
  description: string;
  /** The child run's settings for a task (its budget is lowered to the carve-out afterwards). */
  newRun(task: string, parent: RunRecord): NewRunSettings | Promise<NewRunSettings>;
  /** The runtime that executes the child: its models and tools, on the parent's store. */
  runtimeFor(parent: AgentRuntime): AgentRuntime;
  answerCheck?: AnswerCheck;
}

// A child that ended like this is final: its result is given back as it is, never run again.
const settledStatuses = ["succeeded", "cancelled", "budget_exhausted"];

/**
 * Runs (or, for a call interrupted by a crash, resumes) the child run of one tool call and returns its answer.
 * Before the child starts, its budget is held against the parent's, so parent and child together never pass it;
 * the hold is given back when the child ends, its real spend counting as the parent's from then on.
 */
export async function runChildAgent(
  child: ChildAgent,
  input: { task: string; budgetUsd?: string },
  running: RunningToolCall,
  signal: AbortSignal,
): Promise<string> {
  const { store } = running.runtime;
  const parent = await store.getRun(running.runId);
  if (!parent) throw new ToolInputError(`The run ${running.runId} that calls agent "${child.name}" is not stored.`);
  const parentAccount: BudgetAccount = { kind: "run", id: parent.id };
  const childRuntime = child.runtimeFor(running.runtime);
  let childRun = (await store.listChildRuns(parent.id)).find((run) => run.parentCallId === running.call.callId);
  let holdId: string | undefined;
  try {
    if (!childRun) {
      await checkDepth(running.runtime, parent, child.name);
      const settings = await child.newRun(input.task, parent);
      const carved = await carveBudget(running.runtime, parent, lowestBudget(input.budgetUsd, settings.budgetUsd));
      holdId = carved.holdId;
      childRun = await startRun(
        childRuntime,
        { ...settings, budgetUsd: carved.budgetUsd, agentName: child.name },
        { ownerKeyId: parent.ownerKeyId, parentRunId: parent.id, parentCallId: running.call.callId },
      );
      running.emit({
        type: "child-run",
        step: running.call.stepIndex,
        callId: running.call.callId,
        childRunId: childRun.id,
        agentName: child.name,
        ...(carved.budgetUsd === undefined ? {} : { budgetUsd: carved.budgetUsd }),
      });
    } else if (!settledStatuses.includes(childRun.status)) {
      holdId = await holdRestOfChildBudget(running.runtime, parentAccount, childRun);
    }
    const ended = settledStatuses.includes(childRun.status)
      ? childRun
      : await executeRun(childRuntime, childRun.id, { signal, answerCheck: child.answerCheck });
    return childAnswer(child.name, ended);
  } finally {
    if (holdId !== undefined) await store.releaseBudgetHold(holdId);
  }
}

/** Refuses a child past the depth limit, or an agent already working higher up the same tree (a cycle). */
async function checkDepth(runtime: AgentRuntime, parent: RunRecord, agentName: string): Promise<void> {
  const chain: string[] = [];
  for (let run: RunRecord | undefined = parent; run; ) {
    chain.unshift(run.settings.agentName ?? run.id);
    if (run.settings.agentName === agentName) {
      throw new ToolInputError(
        `Agent "${agentName}" is already running higher up this run tree (${[...chain, agentName].join(" -> ")}): ` +
          "an agent cannot call itself. Do the task yourself, or change the agents' tools in the config.",
      );
    }
    run = run.parentRunId === undefined ? undefined : await runtime.store.getRun(run.parentRunId);
  }
  if (chain.length > maxAgentDepth) {
    throw new ToolInputError(
      `Agent "${agentName}" would run ${chain.length} levels deep (${chain.join(" -> ")} -> ${agentName}); ` +
        `agents may call agents at most ${maxAgentDepth} levels deep. Do the task yourself.`,
    );
  }
}

/** The child's budget, held against the parent's remaining budget: the share asked for, at most what is left. */
async function carveBudget(
  runtime: AgentRuntime,
  parent: RunRecord,
  asked: Usd | undefined,
): Promise<{ budgetUsd: string | undefined; holdId: string | undefined }> {
  const account: BudgetAccount = { kind: "run", id: parent.id };
  const [standing] = await runtime.store.budgetStandings([account]);
  if (standing?.budgetUsd === undefined) return { budgetUsd: asked, holdId: undefined };
  const left = remainingUsd(standing.budgetUsd, standing.spentUsd, standing.heldUsd);
  if (!Usd.isPositive(left)) {
    throw new ToolInputError(
      `No budget left for a child run: this run has spent $${standing.spentUsd} of its $${standing.budgetUsd}` +
        (Usd.isPositive(standing.heldUsd) ? ` and holds $${standing.heldUsd} for calls in flight` : "") +
        ". Finish with what you have.",
    );
  }
  const budgetUsd = lowestBudget(asked, left)!;
  const holdId = await holdAgainstParent(runtime, account, budgetUsd);
  if (!holdId) throw new ToolInputError(`This run's remaining budget could not hold $${budgetUsd} for the child run.`);
  return { budgetUsd, holdId };
}

/** On resume: what the child may still spend is held against the parent again (holds die with their process). */
async function holdRestOfChildBudget(
  runtime: AgentRuntime,
  parentAccount: BudgetAccount,
  childRun: RunRecord,
): Promise<string | undefined> {
  const [parentStanding] = await runtime.store.budgetStandings([parentAccount]);
  if (parentStanding?.budgetUsd === undefined || childRun.settings.budgetUsd === undefined) return undefined;
  const [childStanding] = await runtime.store.budgetStandings([{ kind: "run", id: childRun.id }]);
  const rest = remainingUsd(childRun.settings.budgetUsd, childStanding?.spentUsd ?? "0", "0");
  if (!Usd.isPositive(rest)) return undefined;
  const holdId = await holdAgainstParent(runtime, parentAccount, rest);
  if (!holdId) {
    throw new ToolInputError(
      `The child run ${childRun.id} cannot continue: this run's remaining budget no longer holds the $${rest} it may ` +
        "still spend. It is kept as it was; finish with what you have.",
    );
  }
  return holdId;
}

async function holdAgainstParent(
  runtime: AgentRuntime,
  account: BudgetAccount,
  amountUsd: string,
): Promise<string | undefined> {
  const holdId = `hold_${randomUUID().replaceAll("-", "")}`;
  // No runId: the parent's own next call must not replace it; the call's end (or its process's death) gives it back.
  const result = await runtime.store.holdBudget({ id: holdId, owner: processOwner(), accounts: [account], amountUsd });
  return result.held ? holdId : undefined;
}

/** The child's answer, or an error result that says how it ended and what it cost. */
function childAnswer(agentName: string, run: RunRecord): string {
  if (run.status === "succeeded") return run.output ?? "";
  const spent = `it spent $${run.costUsd}`;
  const why =
    run.status === "budget_exhausted"
      ? `exhausted its budget of $${run.settings.budgetUsd ?? "?"} (${run.error ?? "no reason given"})`
      : run.status === "awaiting_approval"
        ? `is waiting for a person to approve a tool call (\`tansuo approve ${run.id}\`)`
        : `ended ${run.status}${run.error ? `: ${run.error}` : ""}`;
  throw new ToolInputError(
    `Agent "${agentName}" (run ${run.id}) ${why}; ${spent}. Its partial work is kept in that run.`,
  );
}
