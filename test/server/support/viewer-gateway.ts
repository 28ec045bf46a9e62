import { spawnSync } from "node:child_process";
import { settingsSchema } from "../../../src/config/settings-schema.ts";
import { emptyUsage, type TokenUsage } from "../../../src/cost/usage.ts";
import { Catalog } from "../../../src/models/catalog.ts";
import { createGateway, type Gateway, type GatewayOptions, issueApiKey } from "../../../src/server/index.ts";
import { ownerHost } from "../../../src/store/process-owner.ts";
import type { RunRecord, RunStatus } from "../../../src/store/records.ts";
import type { ScriptedStep } from "../../../src/testing/index.ts";
import { scriptedHarness } from "../../support/agent-harness.ts";

/** Three keys: alice and bob see their own runs, ops is an admin. */
export interface ViewerKeys {
  alice: { key: string; id: string };
  bob: { key: string; id: string };
  ops: { key: string; id: string };
}

/** The gateway in memory with a runtime over a real SQLite file and a scripted model, and three keys. */
export async function viewerGateway(options: { script?: ScriptedStep[]; gateway?: Partial<GatewayOptions> } = {}) {
  const harness = scriptedHarness(options.script ?? []);
  const keys = {} as ViewerKeys;
  for (const name of ["alice", "bob", "ops"] as const) {
    const issued = await issueApiKey(harness.store, { name, admin: name === "ops" });
    keys[name] = { key: issued.key, id: issued.record.id };
  }
  const gateway: Gateway = createGateway({
    store: harness.store,
    settings: settingsSchema.parse({}),
    catalog: Catalog.builtIn(),
    resolveModel: (spec) => harness.runtime.resolveModel(spec, {}),
    runtime: harness.runtime,
    ...options.gateway,
  });
  const request = (key: string | undefined, path: string, init: RequestInit = {}) =>
    gateway.app.request(path, {
      ...init,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), "content-type": "application/json" },
    });
  return {
    harness,
    store: harness.store,
    gateway,
    keys,
    request,
    // biome-ignore lint/suspicious/noExplicitAny: API JSON is walked freely in assertions.
    json: async (key: string | undefined, path: string, init?: RequestInit): Promise<any> =>
      (await request(key, path, init)).json(),
    close: async () => {
      await gateway.agents?.settled();
      harness.cleanup();
    },
  };
}

export type ViewerFixture = Awaited<ReturnType<typeof viewerGateway>>;

export const tokens = (hit: number, miss: number, output: number, reasoning = 0): TokenUsage => ({
  ...emptyUsage(),
  inputTokens: hit + miss,
  cacheHitTokens: hit,
  cacheMissTokens: miss,
  outputTokens: output,
  reasoningTokens: reasoning,
});

/** A run as if an agent had worked on it: its steps committed through the store, each with a ledger row. */
export async function seedRun(
  fixture: ViewerFixture,
  options: {
    task: string;
    ownerKeyId?: string;
    model?: string;
    status?: RunStatus;
    steps?: { usage: TokenUsage; costUsd: string; text?: string; estimated?: boolean; at?: string }[];
  },
): Promise<RunRecord> {
  const { store } = fixture;
  const run = await store.createRun({
    settings: {
      task: options.task,
      model: options.model ?? "deepseek-v4-flash",
      workspace: fixture.harness.workspace,
      maxSteps: 5,
      thinking: "auto",
      approval: "deny",
      tools: [],
      alwaysAllowedTools: [],
    },
    ownerKeyId: options.ownerKeyId,
  });
  for (const [index, step] of (options.steps ?? []).entries()) {
    const at = step.at ?? new Date().toISOString();
    await store.commitStep({
      step: {
        runId: run.id,
        index,
        assistant: { text: step.text ?? `step ${index}`, toolCalls: [] },
        finishReason: "stop",
        usage: step.usage,
        costUsd: step.costUsd,
        price: step.estimated ? { output: "1", estimated: true } : { output: "1" },
        model: options.model ?? "deepseek-v4-flash",
        createdAt: at,
      },
      ledger: {
        at,
        keyId: options.ownerKeyId,
        runId: run.id,
        model: options.model ?? "deepseek-v4-flash",
        usage: step.usage,
        costUsd: step.costUsd,
        price: {},
      },
      toolCalls: [],
    });
  }
  if (options.status) await store.setRunStatus(run.id, options.status);
  return (await store.getRun(run.id))!;
}

/** Leaves a run `running` with the lease of a process that has exited, as after a kill -9. */
export async function interruptRun(fixture: ViewerFixture, runId: string): Promise<void> {
  const deadPid = spawnSync("true").pid!;
  await fixture.store.setRunStatus(runId, "running");
  await fixture.store.claimRun(runId, `${ownerHost()}:${deadPid}:deadbeef`, 60_000);
}
