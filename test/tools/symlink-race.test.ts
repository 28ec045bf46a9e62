import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LinkFlipper } from "../../campaigns/escape-link-flipper.ts";
import { builtinTools } from "../../src/tools/builtin-tools.ts";
import { invokeTool } from "../../src/tools/invoke-tool.ts";
import { defaultToolPolicy, type ToolContext } from "../../src/tools/tool.ts";
import { Workspace } from "../../src/tools/workspace.ts";

// Reproduction 3 of issue 8: a process flips ws/race between a harmless state and a symlink out while the tools run.
let folder: string;
let root: string;
let outside: string;
let workspace: Workspace;
let flipper: LinkFlipper | undefined;
const canary = "OUTSIDE CANARY";
const tool = (name: string) => builtinTools.find((candidate) => candidate.name === name)!;
const context = (): ToolContext => ({
  workspace,
  signal: new AbortController().signal,
  policy: defaultToolPolicy(),
  warn: () => {},
});
const call = (name: string, input: unknown) => invokeTool(tool(name), JSON.stringify(input), context());

/**
 * Tries `attempt` at least `minimum` times, and on until one try counted (the race was live) or 20 s passed: on a
 * loaded machine the flipper may be scheduled so that a few hundred tries all land on the refused state.
 */
async function race(minimum: number, attempt: () => Promise<boolean>): Promise<number> {
  const deadline = Date.now() + 20_000;
  let counted = 0;
  for (let tries = 0; tries < minimum || (counted === 0 && Date.now() < deadline); tries++) {
    if (await attempt()) counted++;
  }
  return counted;
}

beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), "tansuo-race-"));
  root = path.join(folder, "ws");
  outside = path.join(folder, "outside");
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(path.join(outside, "secret.txt"), `${canary} old\n`);
  workspace = new Workspace(root);
});
afterEach(async () => {
  await flipper?.stop();
  flipper = undefined;
  rmSync(folder, { recursive: true, force: true });
});

describe("a symlink swapped in while the file tools work", () => {
  it("read_file never returns the outside file's content", async () => {
    flipper = await LinkFlipper.start(path.join(root, "race"), [
      { kind: "file", content: "inside old\n" },
      { kind: "link", to: path.join(outside, "secret.txt") },
    ]);
    const readInside = await race(300, async () => {
      const outcome = await call("read_file", { path: "race" });
      expect(outcome.output).not.toContain(canary);
      return outcome.output.includes("inside old");
    });
    // The race was live: some reads found the inside file (the rest were refused or found nothing).
    expect(readInside).toBeGreaterThan(0);
  });

  it("write_file never creates or changes a file outside", async () => {
    flipper = await LinkFlipper.start(path.join(root, "race"), [
      { kind: "absent" },
      { kind: "link", to: path.join(outside, "created.txt") },
      { kind: "link", to: path.join(outside, "secret.txt") },
    ]);
    const written = await race(300, async () => {
      const outcome = await call("write_file", { path: "race", content: "pwned\n" });
      return !outcome.isError;
    });
    expect(existsSync(path.join(outside, "created.txt"))).toBe(false);
    expect(readFileSync(path.join(outside, "secret.txt"), "utf8")).toBe(`${canary} old\n`);
    expect(written).toBeGreaterThan(0);
  });

  it("edit_file never changes the outside file", async () => {
    flipper = await LinkFlipper.start(path.join(root, "race"), [
      { kind: "file", content: "inside old\n" },
      { kind: "link", to: path.join(outside, "secret.txt") },
    ]);
    const edited = await race(300, async () => {
      const outcome = await call("edit_file", { path: "race", old_text: "old", new_text: "new" });
      return !outcome.isError;
    });
    expect(readFileSync(path.join(outside, "secret.txt"), "utf8")).toBe(`${canary} old\n`);
    expect(edited).toBeGreaterThan(0);
  });

  it("a parent folder swapped for a link out leads nowhere outside", async () => {
    writeFileSync(path.join(outside, "f.txt"), `${canary} old\n`);
    flipper = await LinkFlipper.start(path.join(root, "dir"), [
      { kind: "folder", file: "f.txt", content: "inside old\n" },
      { kind: "link", to: outside },
    ]);
    const succeeded = await race(100, async () => {
      const outcomes = [
        await call("read_file", { path: "dir/f.txt" }),
        await call("write_file", { path: "dir/f.txt", content: "pwned\n" }),
        await call("edit_file", { path: "dir/f.txt", old_text: "old", new_text: "new" }),
        await call("list_files", { path: "dir" }),
      ];
      for (const outcome of outcomes) {
        expect(outcome.output).not.toContain(canary);
        expect(outcome.output).not.toContain("secret.txt");
      }
      return outcomes.some((outcome) => !outcome.isError);
    });
    const search = await call("search_files", { pattern: "CANARY" });
    expect(search.output).not.toContain(canary);
    expect(readFileSync(path.join(outside, "f.txt"), "utf8")).toBe(`${canary} old\n`);
    expect(readFileSync(path.join(outside, "secret.txt"), "utf8")).toBe(`${canary} old\n`);
    expect(succeeded).toBeGreaterThan(0);
  });
});
