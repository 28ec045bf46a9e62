import { describe, expect, it } from "vitest";
import type { RunObject, RunStatus } from "../../ui/src/api-types.ts";
import { mergeRun } from "../../ui/src/runs/merge-runs.ts";

const run = (id: string, createdAt: string, status: RunStatus = "running", extra: Partial<RunObject> = {}): RunObject =>
  ({ id, status, created_at: createdAt, model: "deepseek-v4-flash", task: `task of ${id}`, ...extra }) as RunObject;

const ids = (rows: readonly RunObject[]) => rows.map((row) => row.id);
const page = [run("c", "2026-01-03T00:00:00Z"), run("b", "2026-01-02T00:00:00Z"), run("a", "2026-01-01T00:00:00Z")];

describe("mergeRun: the runs list after one streamed run", () => {
  it("puts a new run at the top when it is the newest", () => {
    expect(ids(mergeRun(page, run("d", "2026-01-04T00:00:00Z"), {}, false))).toEqual(["d", "c", "b", "a"]);
  });

  it("replaces a known run in place, keeping the order", () => {
    const merged = mergeRun(page, run("b", "2026-01-02T00:00:00Z", "succeeded"), {}, false);
    expect(ids(merged)).toEqual(["c", "b", "a"]);
    expect(merged[1]?.status).toBe("succeeded");
  });

  it("drops a known run that no longer matches the status filter", () => {
    expect(ids(mergeRun(page, run("b", "2026-01-02T00:00:00Z", "failed"), { status: "running" }, false))).toEqual([
      "c",
      "a",
    ]);
  });

  it("ignores a new run outside the model or search filter", () => {
    const other = run("d", "2026-01-04T00:00:00Z", "running", { model: "deepseek-v4-pro" });
    expect(ids(mergeRun(page, other, { model: "deepseek-v4-flash" }, false))).toEqual(["c", "b", "a"]);
    expect(ids(mergeRun(page, run("e", "2026-01-05T00:00:00Z"), { q: "NOTHING" }, false))).toEqual(["c", "b", "a"]);
    expect(ids(mergeRun(page, run("e", "2026-01-05T00:00:00Z"), { q: "TASK OF E" }, false))).toEqual([
      "e",
      "c",
      "b",
      "a",
    ]);
  });

  it("slots a run by its creation time, and leaves one older than a full page to paging", () => {
    expect(ids(mergeRun(page, run("bb", "2026-01-02T12:00:00Z"), {}, false))).toEqual(["c", "bb", "b", "a"]);
    expect(ids(mergeRun(page, run("old", "2025-12-01T00:00:00Z"), {}, true))).toEqual(["c", "b", "a"]);
    expect(ids(mergeRun(page, run("old", "2025-12-01T00:00:00Z"), {}, false))).toEqual(["c", "b", "a", "old"]);
  });
});
