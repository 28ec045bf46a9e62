import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSearchFilesTool, searchFilesTool } from "../../src/tools/builtin/search-files.ts";
import { invokeTool } from "../../src/tools/invoke-tool.ts";
import { defaultToolPolicy, type ToolContext } from "../../src/tools/tool.ts";
import { Workspace } from "../../src/tools/workspace.ts";

let folder: string;
let workspace: Workspace;
const context = (signal = new AbortController().signal): ToolContext => ({
  workspace,
  signal,
  policy: defaultToolPolicy(),
  warn: () => {},
});
const hostileLine = `${"a".repeat(40)}!`;

beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), "tansuo-search-"));
  workspace = new Workspace(folder);
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe("search_files with a hostile regular expression", () => {
  it("stops at its time limit, says why, and keeps what it found before", async () => {
    writeFileSync(path.join(folder, "a-first.txt"), "aaa\n");
    writeFileSync(path.join(folder, "b-hostile.txt"), `${hostileLine}\n`);
    const started = Date.now();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 50);
    const outcome = await invokeTool(
      createSearchFilesTool({ timeLimitMs: 1000 }),
      JSON.stringify({ pattern: "^(a+)+$" }),
      context(),
    );
    clearInterval(ticker);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(3000);
    // The main thread kept running (a run's lease heartbeat lives there).
    expect(ticks).toBeGreaterThanOrEqual(10);
    expect(outcome.isError).toBe(true);
    expect(outcome.output).toContain("the pattern took longer than 1 s to match");
    expect(outcome.output).toContain('It had searched 1 file(s) and was in "b-hostile.txt"');
    expect(outcome.output).toContain("Matches found so far:\na-first.txt:1: aaa\n");
    // The stopped worker is not reused: the next search gets a working one.
    const next = await invokeTool(searchFilesTool, JSON.stringify({ pattern: "^a+$" }), context());
    expect(next).toEqual({ output: "a-first.txt:1: aaa", isError: false });
  });

  it("ends the matching worker when the run is aborted, well before the limit", async () => {
    writeFileSync(path.join(folder, "hostile.txt"), `${hostileLine}\n`);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("cancelled by the user")), 300);
    const started = Date.now();
    const parsed = searchFilesTool.inputSchema.parse({ pattern: "(a+)+$" });
    await expect(searchFilesTool.execute(parsed, context(controller.signal))).rejects.toThrow("cancelled by the user");
    expect(Date.now() - started).toBeLessThan(2000);
    // A worker left spinning would burn a whole core; measure the process's CPU over half a second.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const before = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 1000).toBeLessThan(250);
    writeFileSync(path.join(folder, "hostile.txt"), "calm\n");
    expect((await invokeTool(searchFilesTool, JSON.stringify({ pattern: "calm" }), context())).output).toBe(
      "hostile.txt:1: calm",
    );
  });
});

describe("search_files with ordinary patterns", () => {
  beforeEach(() => {
    mkdirSync(path.join(folder, "src"));
    writeFileSync(path.join(folder, "src/main.ts"), 'import x from "y";\nconst Answer = 42;\n// TODO: fix\n');
    writeFileSync(path.join(folder, "src/util.ts"), "export const answer = 7;\nfoo bar\n");
    writeFileSync(path.join(folder, "notes.md"), "# Notes\ntodo later\n");
    writeFileSync(path.join(folder, "binary.bin"), Buffer.from([0x61, 0x00, 0x62]));
  });
  const search = async (input: Record<string, unknown>) =>
    (await invokeTool(searchFilesTool, JSON.stringify(input), context())).output;

  it("return the same lines as before: path:line: text, in walk order", async () => {
    expect(await search({ pattern: "answer" })).toBe("src/util.ts:1: export const answer = 7;");
    expect(await search({ pattern: "answer", ignore_case: true })).toBe(
      "src/main.ts:2: const Answer = 42;\nsrc/util.ts:1: export const answer = 7;",
    );
    expect(await search({ pattern: "\\d+;$" })).toBe(
      "src/main.ts:2: const Answer = 42;\nsrc/util.ts:1: export const answer = 7;",
    );
    expect(await search({ pattern: "(?<=// )TODO|^todo" })).toBe("notes.md:2: todo later\nsrc/main.ts:3: // TODO: fix");
    expect(await search({ pattern: "^foo|^#", path: "src" })).toBe("src/util.ts:2: foo bar");
    expect(await search({ pattern: "a.b" })).toBe("No matches.");
    expect(await search({ pattern: "(" })).toMatch(/^Invalid regular expression: /);
  });
});
