import { modelEntrySchema } from "./model-entry.ts";
import { builtInModelEntries, ReadOnlyCatalog } from "./read-only-catalog.ts";

/** The model catalog: built-in entries with the user's additions and overrides applied by id. */
export class Catalog extends ReadOnlyCatalog {
  static override builtIn(): Catalog {
    return new Catalog(builtInModelEntries());
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
}
