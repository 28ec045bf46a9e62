import type { ThinkingSetting } from "../../models/providers/provider-descriptor.ts";
import type { ResolvedModel } from "../../models/resolved-model.ts";
import type { RunRecord, ToolCallRecord } from "../../store/records.ts";
import type { Store } from "../../store/store.ts";
import type { RunEvent } from "../run-events.ts";
import { type LadderModel, ladderRungs, type Rung, rungName, sameRung } from "./rung.ts";
import { rungUnaffordable } from "./rung-budget.ts";
import { StuckWatch } from "./stuck-watch.ts";

type ModelSwitch = Extract<RunEvent, { type: "model-switch" }>;

/** The model and thinking setting the next call uses. */
export interface CurrentRung {
  resolved: ResolvedModel;
  thinking: ThinkingSetting;
}

/**
 * A run's escalation ladder (`settings.models`): which rung the next call uses, moving up when the watch says the
 * run is stuck and back to the first rung after a success, never to a rung the budget cannot pay for. Each move
 * (or a move the budget refused) is a `model-switch` event; resume starts from the last one.
 */
export class Escalation {
  private watch: StuckWatch;

  private constructor(
    private readonly store: Store,
    private readonly rungs: Rung[],
    private readonly start: number,
    private index: number,
    private readonly models: Map<string, ResolvedModel>,
    watch: StuckWatch,
    /** A run without a ladder keeps its own thinking setting (`auto` included). */
    private readonly fixedThinking?: ThinkingSetting,
  ) {
    this.watch = watch;
  }

  /** No ladder: the run's one model and its own thinking setting on every call. */
  static fixed(store: Store, resolved: ResolvedModel, thinking: ThinkingSetting): Escalation {
    const rung = { model: resolved.entry.id, thinking: thinking === "on" };
    return new Escalation(store, [rung], 0, 0, new Map([[rung.model, resolved]]), new StuckWatch(), thinking);
  }

  /**
   * The ladder of a run, on the rung its last `model-switch` event left it (the start rung if none), with the watch
   * rebuilt from the steps made since: the same state the run had when it stopped.
   */
  static async open(
    store: Store,
    run: RunRecord,
    first: ResolvedModel,
    resolve: (spec: string) => Promise<ResolvedModel>,
  ): Promise<Escalation> {
    const specs = run.settings.models ?? [];
    if (specs.length === 0) return Escalation.fixed(store, first, run.settings.thinking);
    const models = new Map<string, ResolvedModel>([[specs[0]!, first]]);
    try {
      for (const spec of specs.slice(1)) if (!models.has(spec)) models.set(spec, await resolve(spec));
    } catch (error) {
      for (const [spec, model] of models) if (spec !== specs[0]) await model.close();
      throw error;
    }
    const ladder: LadderModel[] = specs.map((spec) => ({
      model: spec,
      canThink: models.get(spec)!.entry.capabilities.thinking,
    }));
    const { rungs, start } = ladderRungs(ladder, run.settings.thinking);
    const last = await store.lastEvent(run.id, "model-switch");
    const switched = last?.data as ModelSwitch | undefined;
    const found = switched ? rungs.findIndex((rung) => sameRung(rung, switched.to)) : -1;
    const index = found === -1 ? start : found;
    const since = switched?.step ?? 0;
    const calls = await store.listToolCalls(run.id);
    const watch = new StuckWatch(undefined, StuckWatch.keysOf(calls.filter((call) => call.stepIndex < since)));
    const steps = await store.listSteps(run.id);
    for (const step of steps) {
      if (step.index < since || step.assistant.discarded) continue;
      const stepCalls = calls.filter((call) => call.stepIndex === step.index);
      // Calls still to run (an interrupted last step) are observed by the loop once it has run them.
      if (stepCalls.every((call) => call.status === "finished" || call.status === "denied")) watch.observe(stepCalls);
    }
    return new Escalation(store, rungs, start, index, models, watch);
  }

  get current(): CurrentRung {
    const rung = this.rungs[this.index]!;
    const thinking = this.fixedThinking ?? (rung.thinking ? "on" : "off");
    return { resolved: this.models.get(rung.model)!, thinking };
  }

  /** Before step `stepIndex`: moves if the steps so far call for it, and returns the rung the call uses. */
  async beforeStep(
    stepIndex: number,
    run: RunRecord,
    promptTokens: number,
    emit: (event: RunEvent) => void,
  ): Promise<CurrentRung> {
    if (this.rungs.length <= 1) return this.current;
    const sign = this.watch.sign();
    const target =
      sign.kind === "stuck" && this.index < this.rungs.length - 1
        ? { index: this.index + 1, reason: sign.reason }
        : sign.kind === "succeeded" && this.index !== this.start
          ? { index: this.start, reason: "succeeded: back to the first rung" }
          : undefined;
    if (!target) return this.current;
    const from = this.rungs[this.index]!;
    const to = this.rungs[target.index]!;
    const refused = await rungUnaffordable(this.store, run, this.models.get(to.model)!, promptTokens);
    if (refused !== undefined) {
      emit({ type: "model-switch", step: stepIndex, from, to: from, reason: `stays on ${rungName(from)}: ${refused}` });
    } else {
      emit({ type: "model-switch", step: stepIndex, from, to, reason: target.reason });
      this.index = target.index;
    }
    // Signs are counted afresh after each decision, as `open` does from the last event on resume.
    this.watch = this.watch.restarted();
    return this.current;
  }

  /** A finished step's tool calls, results in. */
  observe(calls: readonly ToolCallRecord[]): void {
    this.watch.observe(calls);
  }

  /** The final answer failed the run's check and was sent back for repair. */
  noteFailedCheck(): void {
    this.watch.noteFailedCheck();
  }

  /** Frees the ladder's models other than the run's first (its owner closes that one). */
  async close(): Promise<void> {
    for (const model of [...this.models.values()].slice(1)) await model.close();
  }
}
