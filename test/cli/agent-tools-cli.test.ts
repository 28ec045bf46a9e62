import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Usd } from "../../src/cost/usd.ts";
import { cliSandbox, runCli, spawnCli, waitFor } from "../support/cli-process.ts";
import { type DeepSeekServerOptions, startDeepSeekServer } from "../support/deepseek-server/index.ts";

const apiKey = "sk-agent-tools-000333";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: DeepSeekServerOptions, agents: Record<string, unknown>) {
  const server = await startDeepSeekServer({ apiKey, ...options });
  const sandbox = cliSandbox();
  mkdirSync(sandbox.workspace, { recursive: true });
  mkdirSync(sandbox.home, { recursive: true });
  writeFileSync(path.join(sandbox.home, "config.json"), JSON.stringify({ agents }));
  cleanups.push(
    () => server.close(),
    () => rmSync(sandbox.folder, { recursive: true, force: true }),
  );
  const env = {
    TANSUO_HOME: sandbox.home,
    DEEPSEEK_API_KEY: apiKey,
    DEEPSEEK_BASE_URL: server.url,
    TANSUO_RETRY_SCALE: "0.01",
  };
  const cli = (args: string[]) => runCli(args, { env, cwd: sandbox.workspace });
  return { server, sandbox, env, cli };
}

const agents = {
  lead: {
    instructions: "Delegate reading to the helper.",
    model: "deepseek-v4-flash",
    tools: ["agent:helper"],
    budgetUsd: 0.05,
  },
  helper: {
    description: "Reads files in the workspace.",
    instructions: "Read what you are asked to.",
    model: "deepseek-v4-flash",
    tools: ["read_file"],
    budgetUsd: 0.01,
    approval: "auto",
  },
};

type Message = { role: string; content?: string; tool_call_id?: string };
const messagesOf = (body: unknown) => (body as { messages: Message[] }).messages;

describe("configured agents as tools through the CLI", () => {
  it("resumes the tree after a SIGKILL mid-child: the same child run continues, then the parent", async () => {
    const { server, sandbox, env, cli } = await setup(
      {
        script: [
          {
            toolCalls: [{ id: "ask", name: "agent_helper", arguments: { task: "What do the notes say?" } }],
            usage: { promptTokens: 900, completionTokens: 20 },
          },
          // The child's first call hangs: the process is killed while it waits.
          { content: "never delivered", delayMs: 60_000 },
          { content: "The notes say hello.", usage: { promptTokens: 400, completionTokens: 8 } },
          { content: "Lead: the notes say hello.", usage: { promptTokens: 1000, completionTokens: 9 } },
        ],
      },
      agents,
    );
    const killed = spawnCli(["run", "--agent", "lead", "--json", "Summarise", "the", "notes"], {
      env,
      cwd: sandbox.workspace,
    });
    await waitFor(() => server.requests.length === 2);
    killed.kill("SIGKILL");
    await killed.result;

    const listed = JSON.parse((await cli(["runs", "list", "--json"])).stdout) as {
      id: string;
      parentRunId: string | null;
    }[];
    const parent = listed.find((run) => run.parentRunId === null)!;
    const child = listed.find((run) => run.parentRunId === parent.id)!;
    expect(listed).toHaveLength(2);
    // The lead was offered the helper as a tool, described by its config.
    const offered = (server.requests[0]!.body as { tools: { function: { name: string; description: string } }[] })
      .tools;
    expect(offered.map((tool) => tool.function.name)).toEqual(["agent_helper"]);
    expect(offered[0]!.function.description).toContain("Reads files in the workspace.");
    // The child is a run of the helper's own config, its task the lead's words.
    expect(JSON.stringify(messagesOf(server.requests[1]!.body))).toContain("Read what you are asked to.");
    expect(JSON.stringify(messagesOf(server.requests[1]!.body))).toContain("What do the notes say?");

    const resumed = await cli(["resume", parent.id, "--json"]);
    expect(resumed.exitCode).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: "succeeded", output: "Lead: the notes say hello." });
    expect(server.remainingScript()).toEqual([]);
    // The child's answer reached the lead as the result of its call.
    expect(messagesOf(server.requests[3]!.body).at(-1)).toMatchObject({
      role: "tool",
      tool_call_id: "ask",
      content: "The notes say hello.",
    });

    // Still one child: the interrupted call found its child run again instead of starting another.
    const after = JSON.parse((await cli(["runs", "list", "--json"])).stdout) as { id: string }[];
    expect(after.map((run) => run.id).sort()).toEqual([parent.id, child.id].sort());
    const shownParent = JSON.parse((await cli(["runs", "show", parent.id, "--json"])).stdout);
    const shownChild = JSON.parse((await cli(["runs", "show", child.id, "--json"])).stdout);
    expect(shownChild).toMatchObject({
      status: "succeeded",
      output: "The notes say hello.",
      parentRunId: parent.id,
      parentCallId: "ask",
      settings: { agentName: "helper", budgetUsd: "0.01" },
    });
    expect(shownParent.children).toEqual([
      {
        id: child.id,
        agentName: "helper",
        parentCallId: "ask",
        status: "succeeded",
        costUsd: shownChild.costUsd,
        treeCostUsd: shownChild.costUsd,
        children: [],
      },
    ]);
    expect(shownParent.treeCostUsd).toBe(Usd.add(shownParent.costUsd, shownChild.costUsd));
    // The child's lost call was billed (an upper bound) to the child, not to the parent.
    expect(shownChild.steps).toHaveLength(2);
    expect(shownParent.steps).toHaveLength(2);

    const text = (await cli(["runs", "show", parent.id])).stdout;
    expect(text).toContain("child runs:");
    expect(text).toContain(`↳ ${child.id} · helper · succeeded`);
    expect((await cli(["runs", "show", child.id])).stdout).toContain(`parent: ${parent.id} (call ask)`);
    expect((await cli(["runs", "list"])).stdout).toContain(`↳ child of ${parent.id}`);
  });

  it("refuses a config whose agents call each other in a circle, naming the circle", async () => {
    const { server, cli } = await setup(
      { script: [] },
      {
        a: { instructions: "A.", model: "deepseek-v4-flash", tools: ["agent:b"] },
        b: { instructions: "B.", model: "deepseek-v4-flash", tools: ["read_file", "agent:a"] },
      },
    );
    const result = await cli(["run", "--agent", "a", "Go"]);
    // As every invalid config: exit 1, before any run exists or any request is sent.
    expect(result.exitCode).toBe(1);
    expect(server.requests).toEqual([]);
    expect(result.stderr).toContain("agents: a -> b -> a call each other in a circle");
  });
});
