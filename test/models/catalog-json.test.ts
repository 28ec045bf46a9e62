import { describe, expect, it } from "vitest";
import builtInCatalog from "../../src/models/catalog.json" with { type: "json" };
import { Catalog } from "../../src/models/catalog.ts";
import { modelEntrySchema } from "../../src/models/model-entry.ts";

// The built-in catalog is read without zod at start-up, so catalog.json must already be what the schema makes of it.
describe("catalog.json", () => {
  for (const row of builtInCatalog.models) {
    it(`spells out ${row.id} as the entry schema reads it (every default written, prices as strings)`, () => {
      expect(row).toStrictEqual(modelEntrySchema.parse(row));
    });
  }

  it("gives each caller its own copy of the built-in rows", () => {
    const first = Catalog.builtIn();
    first.find("deepseek-v4-flash")!.contextWindow = 1;
    expect(Catalog.builtIn().find("deepseek-v4-flash")!.contextWindow).toBe(1_000_000);
  });
});
