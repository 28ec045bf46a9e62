import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cliSandbox, runCli, spawnCli } from "../support/cli-process.ts";
import { startDeepSeekServer } from "../support/deepseek-server/index.ts";

const apiKey = "sk-e2e-project-prompt-000222";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

type WireBody = {
  messages: { role: string; content: string }[];
  tools?: { function: { name: string } }[];
};
const bodyOf = (request: { body: unknown }) => request.body as WireBody;
const toolNames = (body: WireBody) => (body.tools ?? []).map((tool) => tool.function.name);

async function setup(script: NonNullable<Parameters<typeof startDeepSeekServer>[0]>["script"]) {
  const server = await startDeepSeekServer({ apiKey, script });
  const sandbox = cliSandbox();
  mkdirSync(sandbox.workspace, { recursive: true });
  cleanups.push(
    () => server.close(),
    () => rmSync(sandbox.folder, { recursive: true, force: true }),
  );
  const env = { TANSUO_HOME: sandbox.home, DEEPSEEK_API_KEY: apiKey, TANSUO_RETRY_SCALE: "0.01" };
  return { server, sandbox, env };
}

describe("project instructions, skills and plan mode through the real CLI and wire", () => {
  it("tansuo run sends AGENTS.md and the skill list in the system message, and use_skill's body after", async () => {
    const { server, sandbox, env } = await setup([
      { toolCalls: [{ name: "use_skill", arguments: { name: "changelog" } }] },
      { content: "Changelog updated the project's way." },
    ]);
    writeFileSync(path.join(sandbox.workspace, "AGENTS.md"), "Use tabs, never spaces, in this repository.");
    const skill = path.join(sandbox.home, "skills", "changelog");
    mkdirSync(skill, { recursive: true });
    writeFileSync(
      path.join(skill, "SKILL.md"),
      "---\nname: changelog\ndescription: Keep CHANGELOG.md in Keep a Changelog format\n---\nNewest entry on top.",
    );
    const result = await runCli(
      ["run", "--model", "deepseek-v4-flash", "--base-url", server.url, "--json", "update the changelog"],
      { env, cwd: sandbox.workspace },
    );
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: "succeeded" });
    const [first, second] = server.requests.map(bodyOf);
    const system = first!.messages[0]!;
    expect(system.role).toBe("system");
    expect(system.content).toContain("## AGENTS.md\n\nUse tabs, never spaces, in this repository.");
    expect(system.content).toContain("- changelog: Keep CHANGELOG.md in Keep a Changelog format");
    expect(system.content).not.toContain("Newest entry on top.");
    expect(toolNames(first!)).toContain("use_skill");
    // The same system message on the next call (the cached prefix), and the skill's body in the tool result.
    expect(second!.messages[0]).toEqual(system);
    expect(second!.messages.at(-1)).toMatchObject({ role: "tool" });
    expect(second!.messages.at(-1)!.content).toContain("Newest entry on top.");
  });

  it("tansuo chat --mode plan refuses a write, and /go carries out PLAN.md with every tool", async () => {
    const { server, sandbox, env } = await setup([
      {
        toolCalls: [
          { name: "write_file", arguments: { path: "src/x.ts", content: "early" } },
          { name: "write_file", arguments: { path: "PLAN.md", content: "1. write src/x.ts" } },
        ],
      },
      { content: "Planned." },
      { toolCalls: [{ name: "write_file", arguments: { path: "src/x.ts", content: "built" } }] },
      { content: "Built." },
    ]);
    const child = spawnCli(["chat", "--mode", "plan", "--model", "deepseek-v4-flash", "--base-url", server.url], {
      env,
      cwd: sandbox.workspace,
      input: "plan src/x.ts\n/go\n",
    });
    const result = await child.result;
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe("Planned.\nBuilt.\n");
    expect(result.stderr).toContain("normal mode: carrying out the plan");
    const bodies = server.requests.map(bodyOf);
    expect(bodies).toHaveLength(4);
    expect(toolNames(bodies[0]!)).not.toContain("run_command");
    expect(bodies[1]!.messages.find((message) => message.role === "tool")!.content).toContain("plan mode");
    expect(toolNames(bodies[2]!)).toContain("run_command");
    expect(bodies[2]!.messages.at(-1)).toMatchObject({ role: "user" });
    expect(bodies[2]!.messages.at(-1)!.content).toContain("Carry out the plan in PLAN.md:\n\n1. write src/x.ts");
    expect(readFileSync(path.join(sandbox.workspace, "src", "x.ts"), "utf8")).toBe("built");
    expect(existsSync(path.join(sandbox.workspace, "PLAN.md"))).toBe(true);
  });
});
