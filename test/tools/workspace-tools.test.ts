import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listFilesTool } from "../../src/tools/builtin/list-files.ts";
import { runCommandTool } from "../../src/tools/builtin/run-command.ts";
import { searchFilesTool } from "../../src/tools/builtin/search-files.ts";
import { builtinTools } from "../../src/tools/builtin-tools.ts";
import { invokeTool } from "../../src/tools/invoke-tool.ts";
import { defaultToolPolicy, type ToolContext } from "../../src/tools/tool.ts";
import { Workspace } from "../../src/tools/workspace.ts";

let folder: string;
let workspace: Workspace;
let outside: string;
const signal = new AbortController().signal;
const tool = (name: string) => builtinTools.find((candidate) => candidate.name === name)!;
const context = (): ToolContext => ({ workspace, signal, policy: defaultToolPolicy(), warn: () => {} });
const call = (name: string, input: unknown) => invokeTool(tool(name), JSON.stringify(input), context());

beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), "tansuo-tools-"));
  mkdirSync(path.join(folder, "ws"));
  outside = path.join(folder, "outside");
  mkdirSync(outside);
  writeFileSync(path.join(outside, "secret.txt"), "TOP SECRET");
  workspace = new Workspace(path.join(folder, "ws"));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe("workspace confinement", () => {
  it("refuses to write through a dangling symlink that points outside", async () => {
    symlinkSync(path.join(outside, "new.txt"), path.join(workspace.root, "dangling.txt"));
    const outcome = await call("write_file", { path: "dangling.txt", content: "pwned" });
    expect(outcome.isError).toBe(true);
    expect(outcome.output).toMatch(/symlink that points outside the workspace or nowhere/);
    expect(existsSync(path.join(outside, "new.txt"))).toBe(false);
  });

  it("does not search or list through symlinks that lead outside", async () => {
    symlinkSync(path.join(outside, "secret.txt"), path.join(workspace.root, "link.txt"));
    symlinkSync(outside, path.join(workspace.root, "linked-folder"));
    writeFileSync(path.join(workspace.root, "inside.txt"), "TOP SECRET copy inside");
    const search = await invokeTool(searchFilesTool, JSON.stringify({ pattern: "SECRET" }), context());
    expect(search.output).toBe("inside.txt:1: TOP SECRET copy inside");
    const listing = await invokeTool(listFilesTool, "{}", context());
    expect(listing.output).not.toContain("link.txt");
    expect(listing.output).not.toContain("secret.txt");
    expect((await call("read_file", { path: "linked-folder/secret.txt" })).isError).toBe(true);
  });

  it("follows symlinks that stay inside", async () => {
    mkdirSync(path.join(workspace.root, "real"));
    writeFileSync(path.join(workspace.root, "real/a.txt"), "alpha");
    symlinkSync(path.join(workspace.root, "real"), path.join(workspace.root, "alias"));
    expect((await call("read_file", { path: "alias/a.txt" })).output).toContain("alpha");
    expect((await call("write_file", { path: "alias/b.txt", content: "beta" })).isError).toBe(false);
    expect(readFileSync(path.join(workspace.root, "real/b.txt"), "utf8")).toBe("beta");
  });

  it("edit_file fails clearly when the old text is missing or not unique", async () => {
    writeFileSync(path.join(workspace.root, "f.txt"), "one two two");
    expect((await call("edit_file", { path: "f.txt", old_text: "three", new_text: "x" })).output).toMatch(/not found/);
    expect((await call("edit_file", { path: "f.txt", old_text: "two", new_text: "x" })).output).toMatch(
      /occurs 2 times/,
    );
    expect((await call("edit_file", { path: "f.txt", old_text: "one", new_text: "1" })).isError).toBe(false);
    expect(readFileSync(path.join(workspace.root, "f.txt"), "utf8")).toBe("1 two two");
  });

  it("respects .gitignore in search_files", async () => {
    writeFileSync(path.join(workspace.root, ".gitignore"), "build/\n*.log\n");
    mkdirSync(path.join(workspace.root, "build"));
    writeFileSync(path.join(workspace.root, "build/out.js"), "needle");
    writeFileSync(path.join(workspace.root, "debug.log"), "needle");
    writeFileSync(path.join(workspace.root, "src.ts"), "needle");
    expect((await call("search_files", { pattern: "needle" })).output).toBe("src.ts:1: needle");
  });
});

describe("run_command", () => {
  it("runs in the workspace without credentials in its environment, and returns the exit code", async () => {
    const previous = process.env.DEEPSEEK_API_KEY;
    process.env.DEEPSEEK_API_KEY = "sk-must-not-leak-123456";
    try {
      const outcome = await invokeTool(
        runCommandTool,
        JSON.stringify({ command: "pwd; echo key=$DEEPSEEK_API_KEY; exit 3" }),
        context(),
      );
      expect(outcome.output).toContain("exit code 3");
      expect(outcome.output).toContain(workspace.root);
      expect(outcome.output).toContain("key=\n");
      expect(outcome.output).not.toContain("sk-must-not-leak-123456");
    } finally {
      if (previous === undefined) delete process.env.DEEPSEEK_API_KEY;
      else process.env.DEEPSEEK_API_KEY = previous;
    }
  });

  it("kills a command at its timeout", async () => {
    const outcome = await invokeTool(
      runCommandTool,
      JSON.stringify({ command: "sleep 30", timeout_seconds: 1 }),
      context(),
    );
    expect(outcome.output).toMatch(/timed out after 1 s/);
  });

  it("truncates huge output centrally", async () => {
    const outcome = await invokeTool(runCommandTool, JSON.stringify({ command: "yes x | head -c 100000" }), context());
    expect(outcome.output.length).toBeLessThan(21_000);
    expect(outcome.output).toMatch(/characters omitted/);
  });
});
