import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { median, runOnce, startupCases } from "../../bench/startup/measure-startup.ts";

// bench/startup in short: every command it times runs and exits 0 on an empty $TANSUO_HOME. Timing is the
// benchmark's business, not the suite's.
const home = mkdtempSync(path.join(tmpdir(), "tansuo-startup-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("bench/startup", () => {
  for (const startupCase of startupCases) {
    it(`runs "${startupCase.label}" once from the sources, exiting 0`, () => {
      expect(runOnce(startupCase, "src", home)).toBeGreaterThan(0);
    });
  }

  it("fails loudly on a command that exits non-zero, so a broken command is never timed", () => {
    expect(() => runOnce({ label: "tansuo bogus", args: ["bogus"] }, "src", home)).toThrow(/"tansuo bogus" exited 2/);
  });

  it("takes the median: the middle run, or the mean of the two middle ones", () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([40, 10, 30, 20])).toBe(25);
  });
});
