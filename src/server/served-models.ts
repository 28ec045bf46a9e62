import { existsSync } from "node:fs";
import { MissingApiKeyError } from "../models/model-errors.ts";
import { localSpecProvider, runsInProcess } from "../models/providers/runs-in-process.ts";
import type { ReadOnlyCatalog } from "../models/read-only-catalog.ts";
import type { ResolvedModel } from "../models/resolved-model.ts";

export const agentModelPrefix = "agent:";

export interface ServedModel {
  id: string;
  /** The provider kind for models ("deepseek", ...), "tansuo" for agents. */
  ownedBy: string;
  /** Its model runs in this process: resolving it loads its weights. */
  runsInProcess: boolean;
  kind: "model" | "agent";
}

export interface ServedModelsOptions {
  catalog: ReadOnlyCatalog;
  resolveModel: (spec: string) => Promise<ResolvedModel>;
  /** Specs served beyond the catalog, e.g. a .gguf path given to `tansuo serve --model`. */
  extraModels: readonly string[];
  agentNames: readonly string[];
  now: () => Date;
}

/**
 * The models and agents this server answers for. Only listed ids are served: a caller cannot make the server
 * load an arbitrary file or reach an unpriced provider/model spec that would slip past budgets.
 */
export class ServedModels {
  private readonly byId = new Map<string, ServedModel>();
  private readonly resolved = new Map<string, Promise<ResolvedModel>>();

  constructor(private readonly options: ServedModelsOptions) {
    const now = options.now().getTime();
    for (const entry of options.catalog.list()) {
      if (runsInProcess(entry.provider)) continue;
      if (entry.retiredAt !== undefined && Date.parse(entry.retiredAt) <= now) continue;
      this.byId.set(entry.id, { id: entry.id, ownedBy: entry.provider, runsInProcess: false, kind: "model" });
    }
    for (const spec of options.extraModels) {
      if (this.byId.has(spec)) continue;
      const local = localSpecProvider(spec);
      this.byId.set(spec, {
        id: spec,
        ownedBy: local?.kind ?? "tansuo",
        runsInProcess: local?.runsInProcess === true,
        kind: "model",
      });
    }
    for (const name of options.agentNames) {
      const id = agentModelPrefix + name;
      this.byId.set(id, { id, ownedBy: "tansuo", runsInProcess: false, kind: "agent" });
    }
  }

  list(): ServedModel[] {
    return [...this.byId.values()];
  }

  /**
   * The listed ids this server can call now: a remote model whose provider has a key (resolving one is cheap and
   * sends nothing), a local model whose file is there, and every agent (refused per run when its model is not).
   */
  async servable(): Promise<ServedModel[]> {
    const checks = this.list().map(async (model) => ((await this.canServe(model)) ? [model] : []));
    return (await Promise.all(checks)).flat();
  }

  private async canServe(model: ServedModel): Promise<boolean> {
    if (model.kind === "agent") return true;
    if (model.runsInProcess) return model.id.startsWith("hf:") || existsSync(model.id);
    try {
      await this.resolve(model.id);
      return true;
    } catch (error) {
      // Only a missing key hides a model; any other failure is reported when the model is called.
      return !(error instanceof MissingApiKeyError);
    }
  }

  find(id: string): ServedModel | undefined {
    return this.byId.get(id);
  }

  /** The callable model for an id, resolved once and kept (an embedded model loads its weights only once). */
  resolve(id: string): Promise<ResolvedModel> {
    let pending = this.resolved.get(id);
    if (!pending) {
      pending = this.options.resolveModel(id);
      this.resolved.set(id, pending);
      pending.catch(() => this.resolved.delete(id));
    }
    return pending;
  }

  async close(): Promise<void> {
    const pending = [...this.resolved.values()];
    this.resolved.clear();
    await Promise.allSettled(pending.map(async (model) => (await model).close()));
  }
}
