import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runDiff } from "../../../src/agent/checkpoints/run-diff.ts";
import { previousTurnStart, redoRun, undoRun } from "../../../src/agent/checkpoints/undo-run.ts";
import { continueRun, executeRun, type RunEvent, startRun } from "../../../src/agent/index.ts";
import { SqliteStore } from "../../../src/store/sqlite-store.ts";
import type { ScriptedStep } from "../../../src/testing/index.ts";
import { scriptedHarness } from "../../support/agent-harness.ts";

let harness: ReturnType<typeof scriptedHarness>;
afterEach(() => harness?.cleanup());

const write = (file: string, content: string | Uint8Array) =>
  writeFileSync(path.join(harness.workspace, file), content);
const read = (file: string) => readFileSync(path.join(harness.workspace, file), "utf8");
const exists = (file: string) => existsSync(path.join(harness.workspace, file));

async function runScript(steps: ScriptedStep[], events: RunEvent[] = []) {
  harness = scriptedHarness(steps);
  return async () => {
    const run = await startRun(harness.runtime, {
      task: "change the files",
      model: "scripted",
      workspace: harness.workspace,
      approval: "auto",
    });
    return await executeRun(harness.runtime, run.id, { onEvent: (event) => events.push(event) });
  };
}

const threeEdits: ScriptedStep[] = [
  {
    toolCalls: [
      { name: "edit_file", input: { path: "src/app.ts", old_text: "let x = 1;", new_text: "let x = 2;" } },
      { name: "write_file", input: { path: "README.md", content: "# Rewritten\n" } },
    ],
  },
  { toolCalls: [{ name: "write_file", input: { path: "notes/new.txt", content: "created by the run\n" } }] },
  { text: "done" },
];

describe("undo from checkpoints", () => {
  it("restores three changed files exactly, deletes only the one the run created, and leaves others' new files", async () => {
    const events: RunEvent[] = [];
    const execute = await runScript(threeEdits, events);
    writeFileSync(path.join(harness.workspace, "README.md"), "# Original\nsecond line\n");
    mkdirSync(path.join(harness.workspace, "src"));
    write("src/app.ts", "const a = 0;\nlet x = 1;\nexport {};\n");
    const run = await execute();
    expect(run.status).toBe("succeeded");
    expect(read("src/app.ts")).toBe("const a = 0;\nlet x = 2;\nexport {};\n");
    expect(events.filter((event) => event.type === "checkpoint")).toEqual([
      { type: "checkpoint", step: 0, callId: expect.any(String), files: ["src/app.ts"] },
      { type: "checkpoint", step: 0, callId: expect.any(String), files: ["README.md"] },
      { type: "checkpoint", step: 1, callId: expect.any(String), files: ["notes/new.txt"] },
    ]);
    // Someone else adds a file after the run: it is not the run's to remove.
    write("theirs.txt", "mine\n");

    const outcome = await undoRun(harness.store, run.id);
    const restored = ["src/app.ts", "README.md", "notes/new.txt (deleted: the run created it)"];
    expect(outcome.restored).toEqual(restored);
    expect(outcome.skipped).toEqual([]);
    expect(read("src/app.ts")).toBe("const a = 0;\nlet x = 1;\nexport {};\n");
    expect(read("README.md")).toBe("# Original\nsecond line\n");
    expect(exists("notes/new.txt")).toBe(false);
    expect(read("theirs.txt")).toBe("mine\n");
    const undoEvents = (await harness.store.listEvents(run.id)).filter((event) => event.type === "undo");
    expect(undoEvents.map((event) => event.data)).toEqual([{ type: "undo", toStep: 0, restored, skipped: [] }]);

    // Redo puts back what the undo replaced: the run's versions.
    const redone = await redoRun(harness.store, run.id);
    expect(redone?.restored).toEqual(["src/app.ts", "README.md", "notes/new.txt"]);
    expect(read("README.md")).toBe("# Rewritten\n");
    expect(read("notes/new.txt")).toBe("created by the run\n");
    expect(await redoRun(harness.store, run.id)).toBeUndefined();
  });

  it("restores to before a given step only, and lists shell commands run after it as not undoable", async () => {
    const execute = await runScript([
      { toolCalls: [{ name: "write_file", input: { path: "a.txt", content: "one\n" } }] },
      { toolCalls: [{ name: "write_file", input: { path: "a.txt", content: "two\n" } }] },
      { toolCalls: [{ name: "run_command", input: { command: "echo side-effect > log.txt" } }] },
      { text: "done" },
    ]);
    const run = await execute();
    expect(run.status).toBe("succeeded");
    const outcome = await undoRun(harness.store, run.id, { toStep: 1 });
    expect(outcome.restored).toEqual(["a.txt"]);
    expect(read("a.txt")).toBe("one\n");
    expect(outcome.commands).toEqual(["echo side-effect > log.txt"]);
    expect((await undoRun(harness.store, run.id, { toStep: 3 })).commands).toEqual([]);
    await expect(undoRun(harness.store, run.id, { toStep: 9 })).rejects.toThrow(/from 0 to 4; got 9/);
  });

  it("restores a binary file byte for byte", async () => {
    const execute = await runScript([
      { toolCalls: [{ name: "write_file", input: { path: "image.bin", content: "text now" } }] },
      { text: "done" },
    ]);
    // Every byte value, NULs and bytes that are not UTF-8 among them.
    const original = new Uint8Array(512).map((_value, index) => (index * 7) % 256);
    write("image.bin", original);
    const run = await execute();
    expect(read("image.bin")).toBe("text now");
    await undoRun(harness.store, run.id);
    expect(new Uint8Array(readFileSync(path.join(harness.workspace, "image.bin")))).toEqual(original);
    expect(await runDiff(harness.store, run.id)).toBe("Binary files a/image.bin and b/image.bin differ\n");
  });

  it("skips a file changed since by someone else unless forced, and never deletes a created file someone changed", async () => {
    const execute = await runScript([
      {
        toolCalls: [
          { name: "write_file", input: { path: "shared.txt", content: "the run's\n" } },
          { name: "write_file", input: { path: "made.txt", content: "made by the run\n" } },
        ],
      },
      { text: "done" },
    ]);
    write("shared.txt", "before\n");
    const run = await execute();
    write("shared.txt", "someone else's edit\n");
    write("made.txt", "someone else's edit too\n");

    const outcome = await undoRun(harness.store, run.id);
    expect(outcome.restored).toEqual([]);
    expect(outcome.skipped).toEqual([
      "shared.txt (changed since the run wrote it; --force restores it)",
      "made.txt (created by the run but changed since; kept, never deleted)",
    ]);
    expect(read("shared.txt")).toBe("someone else's edit\n");

    const forced = await undoRun(harness.store, run.id, { force: true });
    expect(forced.restored).toEqual(["shared.txt"]);
    expect(forced.skipped).toEqual(["made.txt (created by the run but changed since; kept, never deleted)"]);
    expect(read("shared.txt")).toBe("before\n");
    expect(read("made.txt")).toBe("someone else's edit too\n");
  });

  it("restores after a crash between the checkpoint and its after-record, from a reopened store", async () => {
    const execute = await runScript([
      { toolCalls: [{ name: "write_file", input: { path: "config.json", content: '{"broken": true' } }] },
      { text: "never reached" },
    ]);
    write("config.json", '{"ok": true}\n');
    // The process dies after the edit, before the after-state is written: only the write-ahead record exists.
    harness.store.finishCheckpoints = async () => {
      throw new Error("simulated crash");
    };
    expect(await execute()).toMatchObject({ status: "failed", error: expect.stringMatching(/simulated crash/) });
    expect(read("config.json")).toBe('{"broken": true');
    const [run] = await harness.store.listRuns();
    const lease = await harness.store.leaseOf(run!.id);
    if (lease) await harness.store.releaseRun(run!.id, lease.owner);

    const reopened = new SqliteStore(path.join(harness.folder, "tansuo.db"));
    try {
      const [checkpoint] = await reopened.listCheckpoints(run!.id);
      expect(checkpoint).toMatchObject({ path: "config.json", before: { kind: "content" } });
      expect(checkpoint!.after).toBeUndefined();
      const outcome = await undoRun(reopened, run!.id);
      expect(outcome.restored).toEqual(["config.json"]);
      expect(read("config.json")).toBe('{"ok": true}\n');
      expect(await runDiff(reopened, run!.id)).toMatch(/config\.json: the run stopped during the call/);
    } finally {
      reopened.close();
    }
  });

  it("shows what the run and each step changed as a unified diff", async () => {
    const execute = await runScript(threeEdits);
    write("README.md", "# Original\nsecond line\n");
    mkdirSync(path.join(harness.workspace, "src"));
    write("src/app.ts", "const a = 0;\nlet x = 1;\nexport {};\n");
    const run = await execute();
    expect(await runDiff(harness.store, run.id)).toBe(
      [
        "--- a/src/app.ts",
        "+++ b/src/app.ts",
        "@@ -1,3 +1,3 @@",
        " const a = 0;",
        "-let x = 1;",
        "+let x = 2;",
        " export {};",
        "--- a/README.md",
        "+++ b/README.md",
        "@@ -1,2 +1 @@",
        "-# Original",
        "-second line",
        "+# Rewritten",
        "--- /dev/null",
        "+++ b/notes/new.txt",
        "@@ -0,0 +1 @@",
        "+created by the run",
        "",
      ].join("\n"),
    );
    expect(await runDiff(harness.store, run.id, 1)).toBe(
      "--- /dev/null\n+++ b/notes/new.txt\n@@ -0,0 +1 @@\n+created by the run\n",
    );
    expect(await runDiff(harness.store, run.id, 2)).toBe("");
  });

  it("finds the start of the last turn of a conversation, then one turn further after an undo", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "write_file", input: { path: "a.txt", content: "v1\n" } }] },
      { text: "first" },
      { toolCalls: [{ name: "write_file", input: { path: "a.txt", content: "v2\n" } }] },
      { text: "second" },
    ]);
    const run = await startRun(harness.runtime, { task: "t", model: "scripted", workspace: harness.workspace });
    await executeRun(harness.runtime, run.id);
    await continueRun(harness.runtime, run.id, "again");
    expect(await previousTurnStart(harness.store, run.id)).toBe(2);
    await undoRun(harness.store, run.id, { toStep: 2 });
    expect(read("a.txt")).toBe("v1\n");
    expect(await previousTurnStart(harness.store, run.id)).toBe(0);
    await undoRun(harness.store, run.id, { toStep: 0 });
    expect(exists("a.txt")).toBe(false);
    expect(await previousTurnStart(harness.store, run.id)).toBeUndefined();
  });
});

describe("files over the checkpoint limit", () => {
  it("records that a file was too large to checkpoint and says so on undo, leaving it as it is", async () => {
    const execute = await runScript([
      { toolCalls: [{ name: "write_file", input: { path: "huge.log", content: "short now\n" } }] },
      { text: "done" },
    ]);
    write("huge.log", Buffer.alloc(10 * 1024 * 1024 + 1, 97));
    const run = await execute();
    const [checkpoint] = await harness.store.listCheckpoints(run.id);
    expect(checkpoint?.before).toEqual({ kind: "too-large", size: 10 * 1024 * 1024 + 1 });
    const outcome = await undoRun(harness.store, run.id);
    expect(outcome.restored).toEqual([]);
    expect(outcome.skipped).toEqual(["huge.log (over 10 MB, too large to checkpoint; not restored)"]);
    expect(read("huge.log")).toBe("short now\n");
    expect(await runDiff(harness.store, run.id)).toBe(
      "huge.log: over the checkpoint size limit; its content is not kept\n",
    );
  });
});
