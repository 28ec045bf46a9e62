import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { builtinTools } from "../../src/tools/builtin-tools.ts";
import { invokeTool } from "../../src/tools/invoke-tool.ts";
import { defaultToolPolicy, type ToolContext, type ToolPolicy } from "../../src/tools/tool.ts";
import { Workspace } from "../../src/tools/workspace.ts";

let folder: string;
let root: string;
let outside: string;
let home: string;
let workspace: Workspace;
const tool = (name: string) => builtinTools.find((candidate) => candidate.name === name)!;
const context = (policy: Partial<ToolPolicy> = {}): ToolContext => ({
  workspace,
  signal: new AbortController().signal,
  policy: { ...defaultToolPolicy(), ...policy },
  warn: () => {},
});
const call = (name: string, input: unknown, policy: Partial<ToolPolicy> = {}) =>
  invokeTool(tool(name), JSON.stringify(input), context(policy));
const inside = (...parts: string[]) => path.join(root, ...parts);
const secretPath = () => path.join(outside, "secret.txt");

beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), "tansuo-file-safety-"));
  root = path.join(folder, "ws");
  outside = path.join(folder, "outside");
  home = path.join(root, ".tansuo-home");
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(secretPath(), "OUTSIDE CANARY needle\n");
  workspace = new Workspace(root, { hiddenPaths: [home] });
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe("hard links", () => {
  beforeEach(() => linkSync(secretPath(), inside("link.txt")));

  it("read_file refuses a file with two names and says which switch allows it", async () => {
    const outcome = await call("read_file", { path: "link.txt" });
    expect(outcome.isError).toBe(true);
    expect(outcome.output).not.toContain("CANARY");
    expect(outcome.output).toContain("2 hard links");
    expect(outcome.output).toContain('"allowHardLinks": true');
    expect(outcome.output).toContain("$TANSUO_HOME/config.json");
  });

  it("read_file reads it when files.allowHardLinks is set", async () => {
    const outcome = await call("read_file", { path: "link.txt" }, { allowHardLinks: true });
    expect(outcome).toEqual({ output: "     1\tOUTSIDE CANARY needle\n     2\t", isError: false });
  });

  it("search_files skips it and says so; list_files still names it", async () => {
    writeFileSync(inside("plain.txt"), "inside needle\n");
    const search = await call("search_files", { pattern: "needle" });
    expect(search.output).toBe(
      "plain.txt:1: inside needle\n[skipped 1 file(s) with several hard links; the user can allow them with " +
        '"files": { "allowHardLinks": true } in $TANSUO_HOME/config.json]',
    );
    expect((await call("list_files", {})).output).toBe("link.txt\nplain.txt");
  });

  it("write_file replaces only the workspace name; the outside file keeps its content", async () => {
    const outcome = await call("write_file", { path: "link.txt", content: "new content" });
    expect(outcome.output).toBe(
      "Wrote 11 bytes to link.txt (it had 2 hard links; only this name holds the new content)",
    );
    expect(readFileSync(secretPath(), "utf8")).toBe("OUTSIDE CANARY needle\n");
    expect(readFileSync(inside("link.txt"), "utf8")).toBe("new content");
    expect(statSync(secretPath()).nlink).toBe(1);
  });

  it("edit_file refuses it, and with the switch changes only the workspace name", async () => {
    const refused = await call("edit_file", { path: "link.txt", old_text: "CANARY", new_text: "x" });
    expect(refused.isError).toBe(true);
    expect(refused.output).toContain("allowHardLinks");
    const allowed = await call(
      "edit_file",
      { path: "link.txt", old_text: "CANARY", new_text: "edited" },
      { allowHardLinks: true },
    );
    expect(allowed).toEqual({ output: "Replaced 1 occurrence(s) in link.txt", isError: false });
    expect(readFileSync(inside("link.txt"), "utf8")).toBe("OUTSIDE edited needle\n");
    expect(readFileSync(secretPath(), "utf8")).toBe("OUTSIDE CANARY needle\n");
  });
});

describe("pipes and devices", () => {
  beforeEach(() => execFileSync("mkfifo", [inside("pipe")]));

  it("read_file refuses a FIFO at once instead of waiting for a writer", async () => {
    const started = Date.now();
    const outcome = await call("read_file", { path: "pipe" });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(outcome.isError).toBe(true);
    expect(outcome.output).toContain('"pipe" is a FIFO (named pipe), not a regular file');
  });

  it("edit_file and write_file refuse a FIFO and leave it a FIFO", async () => {
    expect((await call("edit_file", { path: "pipe", old_text: "a", new_text: "b" })).output).toContain("FIFO");
    expect((await call("write_file", { path: "pipe", content: "x" })).output).toContain("FIFO");
    expect(statSync(inside("pipe")).isFIFO()).toBe(true);
  });

  it("list_files and search_files skip FIFOs and links to them", async () => {
    symlinkSync("pipe", inside("pipe-link"));
    writeFileSync(inside("a.txt"), "needle\n");
    expect((await call("list_files", {})).output).toBe("a.txt");
    expect((await call("search_files", { pattern: "needle" })).output).toBe("a.txt:1: needle");
  });

  it("a link to /dev/zero is refused as a link out of the workspace", async () => {
    symlinkSync("/dev/zero", inside("zero"));
    const outcome = await call("read_file", { path: "zero" });
    expect(outcome.output).toContain("points outside the workspace or nowhere");
  });
});

describe("paths hidden by Tansuo", () => {
  beforeEach(() => {
    mkdirSync(home);
    writeFileSync(path.join(home, "config.json"), '{"key":"sk-hidden-canary"}');
    writeFileSync(inside("visible.txt"), "sk-hidden-canary mentioned here\n");
  });

  it("every file tool refuses the hidden folder and what is under it, saying why", async () => {
    const attempts = [
      await call("read_file", { path: ".tansuo-home/config.json" }),
      await call("edit_file", { path: ".tansuo-home/config.json", old_text: "key", new_text: "x" }),
      await call("write_file", { path: ".tansuo-home/new.json", content: "x" }),
      await call("list_files", { path: ".tansuo-home" }),
      await call("search_files", { pattern: "key", path: ".tansuo-home" }),
    ];
    for (const outcome of attempts) {
      expect(outcome.isError).toBe(true);
      expect(outcome.output).toContain("hidden by Tansuo because it holds Tansuo's config and keys");
    }
    expect(readdirSync(home)).toEqual(["config.json"]);
  });

  it("a symlink to the hidden folder is refused the same way", async () => {
    symlinkSync(".tansuo-home/config.json", inside("innocent.json"));
    expect((await call("read_file", { path: "innocent.json" })).output).toContain("hidden by Tansuo");
  });

  it("walks skip it", async () => {
    expect((await call("list_files", {})).output).toBe("visible.txt");
    expect((await call("search_files", { pattern: "sk-hidden" })).output).toBe(
      "visible.txt:1: sk-hidden-canary mentioned here",
    );
  });
});

describe("writes", () => {
  it("keep the mode of the file they replace", async () => {
    writeFileSync(inside("script.sh"), "echo one\n");
    chmodSync(inside("script.sh"), 0o750);
    await call("write_file", { path: "script.sh", content: "echo two\n" });
    await call("edit_file", { path: "script.sh", old_text: "two", new_text: "three" });
    expect(statSync(inside("script.sh")).mode & 0o777).toBe(0o750);
    expect(readFileSync(inside("script.sh"), "utf8")).toBe("echo three\n");
  });

  it("refuse a read-only file and leave it unchanged", async () => {
    writeFileSync(inside("locked.txt"), "keep me");
    chmodSync(inside("locked.txt"), 0o444);
    const written = await call("write_file", { path: "locked.txt", content: "changed" });
    const edited = await call("edit_file", { path: "locked.txt", old_text: "keep", new_text: "lose" });
    // Refused by its mode, so even a run as root leaves it alone.
    expect(written.output).toBe(
      '"locked.txt" is read-only; it was left unchanged. Ask the user to make it writable if it should change.',
    );
    expect(edited.output).toBe(written.output);
    expect(readFileSync(inside("locked.txt"), "utf8")).toBe("keep me");
  });

  it("create missing folders and leave no temporary file behind", async () => {
    const outcome = await call("write_file", { path: "a/b/c/new.txt", content: "deep" });
    expect(outcome.output).toBe("Wrote 4 bytes to a/b/c/new.txt");
    expect(readFileSync(inside("a/b/c/new.txt"), "utf8")).toBe("deep");
    expect(readdirSync(inside("a/b/c"))).toEqual(["new.txt"]);
  });

  it("refuse to create folders through a link that dangles, even inside", async () => {
    symlinkSync("missing-folder", inside("dangling"));
    const outcome = await call("write_file", { path: "dangling/new.txt", content: "x" });
    expect(outcome.output).toContain("points outside the workspace or nowhere");
    expect(existsSync(inside("missing-folder"))).toBe(false);
  });
});

describe("symlinks", () => {
  it("follow chains that stay inside and refuse loops and chains that end outside", async () => {
    writeFileSync(inside("real.txt"), "real content");
    symlinkSync("real.txt", inside("one"));
    symlinkSync("one", inside("two"));
    symlinkSync(path.join(root, "two"), inside("three"));
    symlinkSync("loop-b", inside("loop-a"));
    symlinkSync("loop-a", inside("loop-b"));
    symlinkSync(secretPath(), inside("out-one"));
    symlinkSync("out-one", inside("out-two"));
    expect((await call("read_file", { path: "three" })).output).toBe("     1\treal content");
    expect((await call("read_file", { path: "loop-a" })).output).toContain("more than 40 symlinks");
    const out = await call("read_file", { path: "out-two" });
    expect(out.output).toContain("points outside the workspace");
    expect(out.output).not.toContain("CANARY");
  });

  it("resolve `..` in a link's target from the folder the link really is in", async () => {
    mkdirSync(inside("deep/er"), { recursive: true });
    writeFileSync(inside("deep/target.txt"), "from deep");
    symlinkSync("deep/er", inside("alias"));
    symlinkSync("../target.txt", inside("deep/er/up"));
    symlinkSync("../../outside/secret.txt", inside("deep/climb"));
    expect((await call("read_file", { path: "alias/up" })).output).toBe("     1\tfrom deep");
    expect((await call("read_file", { path: "deep/climb" })).output).toContain("points outside");
  });

  it("a link to /proc/self/root is refused, one through it back into the workspace works", async () => {
    writeFileSync(inside("real.txt"), "real content");
    symlinkSync("/proc/self/root", inside("system"));
    symlinkSync(`/proc/self/root${root}/real.txt`, inside("roundabout"));
    expect((await call("read_file", { path: "system/etc/hostname" })).output).toContain("points outside");
    expect((await call("read_file", { path: "roundabout" })).output).toBe("     1\treal content");
  });

  it("write_file through a link inside writes its target and keeps the link", async () => {
    writeFileSync(inside("real.txt"), "old");
    symlinkSync("real.txt", inside("alias.txt"));
    await call("write_file", { path: "alias.txt", content: "new" });
    expect(readFileSync(inside("real.txt"), "utf8")).toBe("new");
    expect(readFileSync(inside("alias.txt"), "utf8")).toBe("new");
  });
});

describe("the run's abort signal", () => {
  it("stops every file tool before it touches anything", async () => {
    const controller = new AbortController();
    controller.abort(new Error("interrupted by the test"));
    const aborted: ToolContext = { ...context(), signal: controller.signal };
    const input = { path: "x.txt", content: "x", old_text: "a", new_text: "b", pattern: "a" };
    for (const name of ["read_file", "write_file", "edit_file", "list_files", "search_files"]) {
      // The tool itself, not the caller's wrapper: a tool handed an aborted signal must not start.
      const parsed = tool(name).inputSchema.parse(input);
      await expect(tool(name).execute(parsed, aborted)).rejects.toThrow("interrupted by the test");
    }
    expect(existsSync(inside("x.txt"))).toBe(false);
  });
});

describe("file system failures", () => {
  it("name the model's path, not the descriptor path they were opened through", async () => {
    const outcome = await call("read_file", { path: `${"x".repeat(300)}.txt` });
    expect(outcome).toEqual({
      output: `Could not open "${"x".repeat(300)}.txt": a name in it is too long (ENAMETOOLONG); nothing was changed.`,
      isError: true,
    });
  });
});
