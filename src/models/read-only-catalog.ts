import { currentPriceRow, type PriceRow } from "../cost/price.ts";
import builtInCatalog from "./catalog.json" with { type: "json" };
import type { ModelEntry } from "./model-entry.ts";

/**
 * The model catalog as commands read it, built without zod so `tansuo models` starts fast: catalog.json spells out
 * every field with its default (test/models/catalog-json.test.ts checks each row against the entry schema).
 */
export class ReadOnlyCatalog {
  protected readonly entries: Map<string, ModelEntry>;

  constructor(entries: readonly ModelEntry[]) {
    this.entries = new Map(entries.map((entry) => [entry.id, entry]));
  }

  static builtIn(): ReadOnlyCatalog {
    return new ReadOnlyCatalog(builtInModelEntries());
  }

  list(): ModelEntry[] {
    return [...this.entries.values()];
  }

  find(id: string): ModelEntry | undefined {
    return this.entries.get(id);
  }

  /** The models not retired at `at` that have a price then, each with its price row in force. */
  pricedAt(at: Date): Array<{ entry: ModelEntry; row: PriceRow }> {
    const priced: Array<{ entry: ModelEntry; row: PriceRow }> = [];
    for (const entry of this.entries.values()) {
      if (entry.retiredAt !== undefined && Date.parse(entry.retiredAt) <= at.getTime()) continue;
      const row = currentPriceRow(entry.prices, at);
      if (row) priced.push({ entry, row });
    }
    return priced;
  }
}

/** A fresh copy of the built-in rows each time, so no caller can change another's catalog. */
export const builtInModelEntries = (): ModelEntry[] => structuredClone(builtInCatalog.models) as ModelEntry[];
