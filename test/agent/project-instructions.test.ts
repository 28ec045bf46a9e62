import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { afterEach, describe, expect, it } from "vitest";
import { executeRun, startRun } from "../../src/agent/index.ts";
import { scriptedHarness } from "../support/agent-harness.ts";

let harness: ReturnType<typeof scriptedHarness>;
afterEach(() => harness?.cleanup());

const systemText = (options: LanguageModelV3CallOptions) => {
  const first = options.prompt[0];
  return first?.role === "system" ? first.content : "";
};

describe("project instructions (AGENTS.md, CLAUDE.md) in the real system prompt", () => {
  it("sends the workspace's AGENTS.md on every call, and a scripted model follows it", async () => {
    const prompts: string[] = [];
    harness = scriptedHarness([
      {
        toolCalls: [{ name: "write_file", input: { path: "ANSWER.txt", content: "42" } }],
        expect: (options) => prompts.push(systemText(options)),
      },
      { text: "wrote ANSWER.txt", expect: (options) => prompts.push(systemText(options)) },
    ]);
    writeFileSync(path.join(harness.workspace, "AGENTS.md"), "Always put the final answer in ANSWER.txt.\n");
    const run = await startRun(harness.runtime, {
      task: "what is six times seven?",
      model: "scripted",
      workspace: harness.workspace,
      instructions: "Run instructions come after the project's.",
    });
    expect(run.settings.projectInstructions).toEqual([
      { path: "AGENTS.md", text: "Always put the final answer in ANSWER.txt." },
    ]);
    expect((await executeRun(harness.runtime, run.id)).status).toBe("succeeded");
    expect(readFileSync(path.join(harness.workspace, "ANSWER.txt"), "utf8")).toBe("42");
    expect(prompts).toHaveLength(2);
    expect(prompts[0]).toContain("## AGENTS.md\n\nAlways put the final answer in ANSWER.txt.");
    // Base prompt, then the project's instructions, then the run's own: a stable prefix, the same on every call.
    expect(prompts[0]!.indexOf("You are Tansuo")).toBe(0);
    expect(prompts[0]!.indexOf("ANSWER.txt")).toBeLessThan(prompts[0]!.indexOf("Run instructions come after"));
    expect(prompts[1]).toBe(prompts[0]);
  });

  it("reads parent folders up to the git root but not beyond, outermost first, CLAUDE.md only where no AGENTS.md", async () => {
    harness = scriptedHarness([]);
    const repository = path.join(harness.folder, "outer", "repository");
    const workspace = path.join(repository, "packages", "app");
    mkdirSync(path.join(repository, ".git"), { recursive: true });
    mkdirSync(workspace, { recursive: true });
    writeFileSync(path.join(harness.folder, "outer", "AGENTS.md"), "beyond the repository: never read");
    writeFileSync(path.join(repository, "AGENTS.md"), "root rules");
    writeFileSync(path.join(repository, "CLAUDE.md"), "root claude file: shadowed by AGENTS.md");
    writeFileSync(path.join(repository, "packages", "CLAUDE.md"), "packages rules from CLAUDE.md");
    writeFileSync(path.join(workspace, "AGENTS.md"), "app rules");
    const run = await startRun(harness.runtime, { task: "t", model: "scripted", workspace });
    expect(run.settings.projectInstructions).toEqual([
      { path: path.join("..", "..", "AGENTS.md"), text: "root rules" },
      { path: path.join("..", "CLAUDE.md"), text: "packages rules from CLAUDE.md" },
      { path: "AGENTS.md", text: "app rules" },
    ]);
  });

  it("reads only the workspace itself when no folder above holds .git, and none with projectInstructions: []", async () => {
    harness = scriptedHarness([]);
    const workspace = path.join(harness.folder, "plain", "workspace");
    mkdirSync(workspace, { recursive: true });
    writeFileSync(path.join(harness.folder, "plain", "AGENTS.md"), "parent without a repository");
    writeFileSync(path.join(workspace, "CLAUDE.md"), "only this");
    const run = await startRun(harness.runtime, { task: "t", model: "scripted", workspace });
    expect(run.settings.projectInstructions).toEqual([{ path: "CLAUDE.md", text: "only this" }]);
    const off = await startRun(harness.runtime, { task: "t", model: "scripted", workspace, projectInstructions: [] });
    expect(off.settings.projectInstructions).toEqual([]);
  });

  it("cuts a file over 64 KB with a warning, and never reads one inside a hidden path ($TANSUO_HOME)", async () => {
    harness = scriptedHarness([]);
    writeFileSync(path.join(harness.workspace, "AGENTS.md"), "x".repeat(70 * 1024));
    const run = await startRun(harness.runtime, { task: "t", model: "scripted", workspace: harness.workspace });
    const text = run.settings.projectInstructions![0]!.text;
    expect(text.startsWith("x".repeat(64 * 1024))).toBe(true);
    expect(text).toContain("[cut: AGENTS.md is 71680 bytes; only the first 64 KB are shown]");
    const warnings = (await harness.store.listEvents(run.id)).filter((event) => event.type === "warning");
    expect(JSON.stringify(warnings.map((event) => event.data))).toContain("AGENTS.md is 71680 bytes");

    harness.runtime.toolPolicy.hiddenPaths = [harness.workspace];
    const hidden = await startRun(harness.runtime, { task: "t", model: "scripted", workspace: harness.workspace });
    expect(hidden.settings.projectInstructions).toBeUndefined();
  });
});
