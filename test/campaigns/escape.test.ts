import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { runEscapeCampaign } from "../../campaigns/escape.ts";
import { defineTool } from "../../src/tools/tool.ts";

describe("campaign:escape, short version", () => {
  it("no path or link attack reads, creates or changes anything outside the workspace", async () => {
    const report = await runEscapeCampaign({ raceTries: 10 });
    expect(report.escapeDetails).toEqual([]);
    expect(report.escapes).toBe(0);
    expect(report.hangs).toBe(0);
    expect(report.attacks).toBeGreaterThanOrEqual(100);
    for (const category of [
      "traversal",
      "absolute",
      "encoding",
      "symlink",
      "hard link",
      "special file",
      "hidden",
      "race",
    ]) {
      expect(report.byCategory[category]?.attacks).toBeGreaterThan(0);
    }
  }, 120_000);

  it("finds the escape of a read_file that trusts the path it is given", async () => {
    // The campaign must be able to fail: a naive tool that reads by joined path is caught at once.
    const naiveRead = defineTool({
      name: "read_file",
      description: "reads by path",
      inputSchema: z.object({ path: z.string() }),
      needsApproval: false,
      readOnly: true,
      async execute(input, { workspace }) {
        return readFileSync(path.join(workspace.root, input.path), "utf8");
      },
    });
    const report = await runEscapeCampaign({ tools: [naiveRead], categories: ["traversal", "symlink", "hard link"] });
    expect(report.byCategory.traversal?.escapes).toBeGreaterThan(0);
    expect(report.byCategory.symlink?.escapes).toBeGreaterThan(0);
    expect(report.byCategory["hard link"]?.escapes).toBeGreaterThan(0);
  });
});
