import type { LanguageModelV3Prompt } from "@ai-sdk/provider";
import { priceAt } from "../../cost/price.ts";
import type { ResolvedModel } from "../../models/resolved-model.ts";
import type { RunRecord } from "../../store/records.ts";
import type { Store } from "../../store/store.ts";
import type { RunEvent } from "../run-events.ts";

export type ModelFallbackEvent = Extract<RunEvent, { type: "model-fallback" }>;

/** What the transcript so far asks of a model that takes it over. */
export interface TakeOverNeeds {
  prompt: LanguageModelV3Prompt;
  /** The run has a budget: a model without a price could not be held against it. */
  budgeted: boolean;
}

/**
 * A run's `fallbacks`: when its model is down the step's call moves to the next model in the list, and later steps
 * stay on the model that answered (going back could only meet the same outage again; resume starts from the last
 * `model-fallback` event). Models are resolved only when they are needed.
 */
export class ModelFallback {
  private switched: { from: string; to: string } | undefined;

  private constructor(
    private readonly primary: ResolvedModel,
    /** The run's model first, then its fallbacks in order. */
    private readonly chain: readonly string[],
    private index: number,
    private active: ResolvedModel,
    private readonly resolve: (spec: string) => Promise<ResolvedModel>,
    private readonly opened: ResolvedModel[],
  ) {}

  /** The run's fallbacks on the model its last `model-fallback` event moved it to (its own model if none). */
  static async open(
    store: Store,
    run: RunRecord,
    primary: ResolvedModel,
    resolve: (spec: string) => Promise<ResolvedModel>,
  ): Promise<ModelFallback> {
    const chain = [primary.entry.id, ...(run.settings.fallbacks ?? [])];
    const last = chain.length > 1 ? await store.lastEvent(run.id, "model-fallback") : undefined;
    const to = (last?.data as ModelFallbackEvent | undefined)?.to;
    const index = to === undefined ? -1 : chain.lastIndexOf(to);
    if (index <= 0) return new ModelFallback(primary, chain, 0, primary, resolve, []);
    const active = await resolve(chain[index]!);
    return new ModelFallback(primary, chain, index, active, resolve, [active]);
  }

  /** The model the next call uses: the one that took over from the run's model, else the rung's own. */
  modelFor(rung: ResolvedModel): ResolvedModel {
    return rung === this.primary ? this.active : rung;
  }

  /**
   * Moves to the next model in the list that can take the transcript over, emitting a `model-fallback` event;
   * undefined when none is left (the reasons the others were passed over are in `exhausted`).
   */
  async next(step: number, reason: string, needs: TakeOverNeeds, emit: (event: RunEvent) => void) {
    const from = this.active.entry.id;
    const passedOver: string[] = [];
    while (this.index < this.chain.length - 1) {
      this.index += 1;
      const spec = this.chain[this.index]!;
      let candidate: ResolvedModel;
      try {
        candidate = await this.resolve(spec);
      } catch (error) {
        passedOver.push(`${spec} passed over: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      const refusal = takeOverRefusal(candidate, needs);
      if (refusal !== undefined) {
        passedOver.push(`${spec} passed over: ${refusal}`);
        await candidate.close();
        continue;
      }
      this.opened.push(candidate);
      this.active = candidate;
      this.switched = { from, to: candidate.entry.id };
      const note = passedOver.length > 0 ? ` (${passedOver.join("; ")})` : "";
      emit({ type: "model-fallback", step, from, to: candidate.entry.id, reason: `${reason}${note}` });
      return candidate;
    }
    this.exhausted = passedOver;
    return undefined;
  }

  /** Why the last `next` found no model, for the run's error. */
  exhausted: string[] = [];

  /** Whether a list of fallbacks is left to try. */
  get hasNext(): boolean {
    return this.index < this.chain.length - 1;
  }

  /** A budget refusal of the first call after a switch names the model that could not be paid for. */
  budgetReason(reason: string): string {
    if (!this.switched) return reason;
    return `falling back from ${this.switched.from} to ${this.switched.to}, ${this.switched.to}'s worst case does not fit: ${reason}`;
  }

  /** The model that took over answered (or was held for): later refusals are no longer the switch's. */
  settled(): void {
    this.switched = undefined;
  }

  /** Frees the fallback models it resolved (the run's owner closes the run's own). */
  async close(): Promise<void> {
    for (const model of this.opened.splice(0)) await model.close();
  }
}

function takeOverRefusal(candidate: ResolvedModel, needs: TakeOverNeeds): string | undefined {
  if (!candidate.entry.capabilities.vision && promptHasImages(needs.prompt)) {
    return "it has no vision and the transcript holds images";
  }
  if (needs.budgeted && priceAt(candidate.entry.prices, new Date()) === undefined) {
    return "it has no price in the catalog, so the run's budget could not be enforced";
  }
  return undefined;
}

function promptHasImages(prompt: LanguageModelV3Prompt): boolean {
  return prompt.some(
    (message) =>
      Array.isArray(message.content) &&
      message.content.some(
        (part) =>
          (part.type === "file" && part.mediaType.startsWith("image/")) ||
          (part.type === "tool-result" &&
            part.output.type === "content" &&
            part.output.value.some((item) => item.type === "image-data" || item.type === "file-data")),
      ),
  );
}

/**
 * A run's fallbacks fixed on its first execution: the list it was started with (agent, `--fallbacks`), else its
 * model entry's, stored in its settings so resume uses the same list whatever the catalog says later.
 */
export async function withFixedFallbacks(store: Store, run: RunRecord, resolved: ResolvedModel): Promise<RunRecord> {
  const listed = resolved.entry.fallbacks;
  if (run.settings.fallbacks !== undefined || !listed || listed.length === 0) return run;
  const settings = { ...run.settings, fallbacks: [...listed] };
  await store.updateRunSettings(run.id, settings);
  return { ...run, settings };
}
