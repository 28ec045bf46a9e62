import builtInCatalog from "./catalog.json" with { type: "json" };
import { type ModelEntry, modelEntrySchema } from "./model-entry.ts";

/** The model catalog: built-in entries with the user's additions and overrides applied by id. */
export class Catalog {
  private readonly entries: Map<string, ModelEntry>;

  constructor(entries: readonly ModelEntry[]) {
    this.entries = new Map(entries.map((entry) => [entry.id, entry]));
  }

  static builtIn(): Catalog {
    return new Catalog(builtInCatalog.models.map((entry) => modelEntrySchema.parse(entry)));
  }

  /** A user entry whose id exists replaces the fields it names; a new id adds a model. */
  withOverrides(overrides: readonly ({ id: string } & Record<string, unknown>)[]): Catalog {
    const merged = new Map(this.entries);
    for (const override of overrides) {
      const existing = merged.get(override.id);
      merged.set(override.id, modelEntrySchema.parse(existing ? { ...existing, ...override } : override));
    }
    return new Catalog([...merged.values()]);
  }

  list(): ModelEntry[] {
    return [...this.entries.values()];
  }

  find(id: string): ModelEntry | undefined {
    return this.entries.get(id);
  }
}
