import { describe, expect, it } from "vitest";
import { settings } from "./contract-fixtures.ts";
import type { StoreUnderTest } from "./store-under-test.ts";

const bytes = (...values: number[]) => new Uint8Array(values);

/** Checkpoints: files before a change (written first, durably), after it once finished, bytes kept exactly. */
export function checkpointContract(name: string, open: () => StoreUnderTest) {
  describe(`Checkpoint contract: ${name}`, () => {
    it("keeps before-states written ahead, finishes them by call and path, and lists them in order across a reopen", async () => {
      const { store, reopen, cleanup } = open();
      const run = await store.createRun({ settings });
      const other = await store.createRun({ settings });
      // Every byte value, a NUL and invalid UTF-8 included: binary files come back byte for byte.
      const binary = new Uint8Array(256).map((_value, index) => index);
      await store.recordCheckpoints([
        {
          runId: run.id,
          kind: "tool",
          callId: "c1",
          step: 0,
          path: "a.bin",
          before: { kind: "content", content: binary },
        },
        { runId: run.id, kind: "tool", callId: "c1", step: 0, path: "new.txt", before: { kind: "absent" } },
      ]);
      await store.recordCheckpoints([
        { runId: other.id, kind: "tool", callId: "c1", step: 0, path: "a.bin", before: { kind: "absent" } },
      ]);
      await store.recordCheckpoints([
        {
          runId: run.id,
          kind: "tool",
          callId: "c2",
          step: 1,
          path: "big.log",
          before: { kind: "too-large", size: 20_000_000 },
        },
      ]);
      // Before the call finishes (a crash here), the before-state is already there and no after.
      const early = await reopen().listCheckpoints(run.id);
      expect(early.map((row) => [row.callId, row.path, row.before.kind, row.after])).toEqual([
        ["c1", "a.bin", "content", undefined],
        ["c1", "new.txt", "absent", undefined],
        ["c2", "big.log", "too-large", undefined],
      ]);
      await store.finishCheckpoints(run.id, "c1", [
        { path: "a.bin", after: { kind: "content", content: bytes(0, 255, 0) } },
        { path: "new.txt", after: { kind: "content", content: bytes() } },
      ]);

      const listed = await reopen().listCheckpoints(run.id);
      expect(listed.map((row) => row.path)).toEqual(["a.bin", "new.txt", "big.log"]);
      expect(listed[0]!.sequence).toBeLessThan(listed[1]!.sequence);
      expect(listed[1]!.sequence).toBeLessThan(listed[2]!.sequence);
      expect(listed[0]).toMatchObject({ runId: run.id, kind: "tool", callId: "c1", step: 0 });
      expect(listed[0]!.before).toEqual({ kind: "content", content: binary });
      expect(listed[0]!.after).toEqual({ kind: "content", content: bytes(0, 255, 0) });
      expect(listed[1]!.after).toEqual({ kind: "content", content: bytes() });
      expect(listed[2]).toMatchObject({ step: 1, before: { kind: "too-large", size: 20_000_000 } });
      expect(listed[2]!.after).toBeUndefined();
      // The other run's checkpoint of the same path and call id is its own.
      expect((await store.listCheckpoints(other.id)).map((row) => row.after)).toEqual([undefined]);
      expect(await store.listCheckpoints("run_unknown")).toEqual([]);
      cleanup();
    });

    it("keeps an undo's rows complete at once, before and after", async () => {
      const { store, reopen, cleanup } = open();
      const run = await store.createRun({ settings });
      await store.recordCheckpoints([
        {
          runId: run.id,
          kind: "undo",
          callId: "undo_1",
          step: 2,
          path: "a.txt",
          before: { kind: "content", content: bytes(104, 105) },
          after: { kind: "absent" },
        },
      ]);
      const [row] = await reopen().listCheckpoints(run.id);
      expect(row).toMatchObject({ kind: "undo", callId: "undo_1", step: 2, path: "a.txt", after: { kind: "absent" } });
      expect(row!.before).toEqual({ kind: "content", content: bytes(104, 105) });
      cleanup();
    });
  });
}
