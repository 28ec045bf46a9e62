import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { afterEach, describe, expect, it } from "vitest";
import { executeRun, startRun } from "../../src/agent/index.ts";
import { systemPrompt } from "../../src/agent/system-prompt.ts";
import { toolResultsIn } from "../../src/testing/index.ts";
import { scriptedHarness } from "../support/agent-harness.ts";

let harness: ReturnType<typeof scriptedHarness>;
afterEach(() => harness?.cleanup());

const systemText = (options: LanguageModelV3CallOptions) => {
  const first = options.prompt[0];
  return first?.role === "system" ? first.content : "";
};
const offered = (options: LanguageModelV3CallOptions) => (options.tools ?? []).map((tool) => tool.name);

function writeSkill(root: string, folder: string, text: string, extra: Record<string, string> = {}) {
  mkdirSync(path.join(root, folder), { recursive: true });
  writeFileSync(path.join(root, folder, "SKILL.md"), text);
  for (const [name, content] of Object.entries(extra)) {
    mkdirSync(path.dirname(path.join(root, folder, name)), { recursive: true });
    writeFileSync(path.join(root, folder, name), content);
  }
}

describe("skills: a compact list in the prompt, loaded with use_skill", () => {
  it("lists a skill by name and description, loads it with use_skill, and its body is in the next prompt", async () => {
    const calls: LanguageModelV3CallOptions[] = [];
    harness = scriptedHarness([
      {
        toolCalls: [{ name: "use_skill", input: { name: "release-notes" } }],
        expect: (options) => calls.push(structuredClone(options)),
      },
      { text: "notes written the house way", expect: (options) => calls.push(structuredClone(options)) },
    ]);
    writeSkill(
      path.join(harness.workspace, ".agents", "skills"),
      "release",
      '---\nname: release-notes\ndescription: "Write release notes in the house style"\n---\n# Release notes\nStart every entry with the ticket number.\n',
      { "templates/entry.md": "TICKET: summary" },
    );
    const run = await startRun(harness.runtime, {
      task: "write notes",
      model: "scripted",
      workspace: harness.workspace,
    });
    expect(run.settings.skills).toEqual([
      {
        name: "release-notes",
        description: "Write release notes in the house style",
        path: path.join(harness.workspace, ".agents", "skills", "release", "SKILL.md"),
      },
    ]);
    expect(run.settings.tools).toContain("use_skill");
    expect((await executeRun(harness.runtime, run.id)).output).toBe("notes written the house way");
    expect(systemText(calls[0]!)).toContain("# Skills\n");
    expect(systemText(calls[0]!)).toContain("- release-notes: Write release notes in the house style");
    // Only the list: the body is not in the prompt until the model asks for it.
    expect(systemText(calls[0]!)).not.toContain("ticket number");
    // In its fixed place after the other built-ins, so the tool list (part of the cached prefix) keeps its order.
    const names = offered(calls[0]!);
    expect(names.indexOf("use_skill")).toBe(names.indexOf("job_stop") + 1);
    const [result] = toolResultsIn(calls[1]!);
    expect(result).toMatchObject({ toolName: "use_skill", isError: false });
    expect(result!.output).toContain("# Release notes\nStart every entry with the ticket number.");
    expect(result!.output).toContain("- templates/entry.md");
    expect(result!.output).not.toContain("name: release-notes");
  });

  it("finds .claude/skills and $TANSUO_HOME/skills; use_skill reads a home skill's file (a hidden path) but nothing outside the skill's folder", async () => {
    const calls: LanguageModelV3CallOptions[] = [];
    harness = scriptedHarness([
      {
        toolCalls: [
          { name: "use_skill", input: { name: "deploy", file: "checklist.md" }, id: "skill" },
          { name: "use_skill", input: { name: "deploy", file: "../../config.json" }, id: "escape" },
          { name: "use_skill", input: { name: "nope" }, id: "unknown" },
        ],
      },
      { text: "done", expect: (options) => calls.push(structuredClone(options)) },
    ]);
    const home = path.join(harness.folder, "home");
    harness.runtime.tansuoHome = home;
    harness.runtime.toolPolicy.hiddenPaths = [home];
    writeSkill(path.join(home, "skills"), "deploy", "---\nname: deploy\ndescription: Ship it\n---\nbody", {
      "checklist.md": "1. tag the release",
    });
    // $TANSUO_HOME/config.json holds keys: a skill file path must not climb to it.
    writeFileSync(path.join(home, "config.json"), "{}");
    writeSkill(path.join(harness.workspace, ".claude", "skills"), "lint", "---\nname: lint\ndescription: Lint\n---\n");
    writeSkill(path.join(harness.workspace, ".claude", "skills"), "broken", "---\ndescription: no name here\n---\n");
    const run = await startRun(harness.runtime, { task: "t", model: "scripted", workspace: harness.workspace });
    expect(run.settings.skills?.map((skill) => skill.name)).toEqual(["lint", "deploy"]);
    const warnings = (await harness.store.listEvents(run.id)).filter((event) => event.type === "warning");
    expect(JSON.stringify(warnings.map((event) => event.data))).toContain(
      path.join(harness.workspace, ".claude", "skills", "broken", "SKILL.md"),
    );
    await executeRun(harness.runtime, run.id);
    const results = toolResultsIn(calls[0]!);
    expect(results.map((result) => [result.toolCallId, result.isError])).toEqual([
      ["skill", false],
      ["escape", true],
      ["unknown", true],
    ]);
    expect(results[0]!.output).toBe("1. tag the release");
    expect(results[1]!.output).toContain("outside the skill deploy's folder");
    expect(results[2]!.output).toContain('No skill named "nope". Skills of this run: lint, deploy.');
  });

  it("keeps runs without skills as they were: no use_skill offered, no skills section", async () => {
    harness = scriptedHarness([]);
    const run = await startRun(harness.runtime, { task: "t", model: "scripted", workspace: harness.workspace });
    expect(run.settings.tools).not.toContain("use_skill");
    expect(systemPrompt(run.settings)).not.toContain("# Skills");
  });

  it("costs a bounded number of bytes per skill: 50 skills add a few hundred tokens", async () => {
    harness = scriptedHarness([]);
    const root = path.join(harness.workspace, ".agents", "skills");
    for (let index = 0; index < 50; index++) {
      const body = `# Skill ${index}\n${"A long body that stays out of the prompt. ".repeat(100)}`;
      writeSkill(root, `skill-${index}`, `---\nname: skill-${index}\ndescription: Does task ${index}\n---\n${body}`);
    }
    const withSkills = await startRun(harness.runtime, { task: "t", model: "scripted", workspace: harness.workspace });
    const without = await startRun(harness.runtime, {
      task: "t",
      model: "scripted",
      workspace: harness.workspace,
      skills: [],
    });
    expect(withSkills.settings.skills).toHaveLength(50);
    const added =
      Buffer.byteLength(systemPrompt(withSkills.settings)) - Buffer.byteLength(systemPrompt(without.settings));
    // Each line is "- skill-N: Does task N\n" (at most 27 bytes here) plus one short header for the list.
    expect(added).toBeLessThanOrEqual(50 * 27 + 120);
    // About four bytes a token: well under 500 tokens for fifty skills.
    expect(added / 4).toBeLessThan(500);
  });
});
