import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { cliSandbox, repositoryRoot, runCli, spawnNode, waitFor } from "../support/cli-process.ts";
import { startDeepSeekServer } from "../support/deepseek-server/index.ts";

const apiKey = "sk-custom-tool-crash-000333";
const fixture = path.join(repositoryRoot, "test/fixtures/custom-tool-agent.ts");
const tsxLoader = pathToFileURL(path.join(repositoryRoot, "node_modules/tsx/dist/loader.mjs")).href;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const server = await startDeepSeekServer({
    apiKey,
    script: [
      {
        toolCalls: [{ id: "append", name: "append_line", arguments: { text: "line" } }],
        usage: { promptTokens: 900, completionTokens: 20 },
      },
      { content: "Appended.", usage: { promptTokens: 950, completionTokens: 5 } },
    ],
  });
  const sandbox = cliSandbox();
  mkdirSync(sandbox.workspace, { recursive: true });
  cleanups.push(
    () => server.close(),
    () => rmSync(sandbox.folder, { recursive: true, force: true }),
  );
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: sandbox.folder,
    TANSUO_HOME: sandbox.home,
    DEEPSEEK_API_KEY: apiKey,
    FAKE_DEEPSEEK_URL: server.url,
  };
  // The user's program in its own process (no tsx wrapper process in between, so SIGKILL reaches it).
  const program = (args: string[]) =>
    spawnNode(["--import", tsxLoader, fixture, ...args], { cwd: sandbox.workspace, env });
  const file = (name: string) => path.join(sandbox.workspace, name);
  const read = (name: string) => (existsSync(file(name)) ? readFileSync(file(name), "utf8") : "");

  // Killed right after the tool's side effect landed, before the tool returned.
  const killed = program(["run"]);
  await waitFor(() => read("side-effect.txt") === "line\n");
  killed.kill("SIGKILL");
  expect((await killed.result).exitCode).toBeNull();
  const listed = await runCli(["runs", "list", "--json"], { env, cwd: sandbox.workspace });
  const [run] = JSON.parse(listed.stdout);
  return { server, program, file, read, runId: run.id as string };
}

describe("a custom tool's call killed with SIGKILL mid-run (issue 9, done when)", () => {
  it("is not repeated on resume; without the tool resume is a clear error; an approval runs it exactly once more", async () => {
    const { server, program, file, read, runId } = await setup();

    const withoutTool = await program(["resume-without-tool", runId]).result;
    expect(withoutTool.exitCode).toBe(1);
    expect(withoutTool.stderr).toContain(`RunStateError: Run ${runId} uses the tool(s) "append_line"`);

    const resumed = await program(["resume", runId]).result;
    expect(resumed.stderr).toBe("");
    expect(JSON.parse(resumed.stdout)).toMatchObject({ id: runId, status: "awaiting_approval" });
    expect(read("side-effect.txt")).toBe("line\n");

    writeFileSync(file("release"), "");
    const approved = await program(["approve", runId, "append"]).result;
    expect(approved.stderr).toBe("");
    expect(JSON.parse(approved.stdout)).toMatchObject({
      id: runId,
      status: "succeeded",
      output: "Appended.",
      steps: 2,
    });
    // Once by the killed process, once more because a person said so.
    expect(read("side-effect.txt")).toBe("line\nline\n");
    expect(server.remainingScript()).toEqual([]);
  });

  it("stays done once when the person denies the interrupted call", async () => {
    const { server, program, read, runId } = await setup();
    // A run that was killed is still `running` until a resume finds its interrupted call and asks about it.
    const resumed = await program(["resume", runId]).result;
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: "awaiting_approval" });
    const denied = await program(["deny", runId, "append"]).result;
    expect(denied.stderr).toBe("");
    expect(JSON.parse(denied.stdout)).toMatchObject({ id: runId, status: "succeeded", output: "Appended." });
    expect(read("side-effect.txt")).toBe("line\n");
    expect(server.remainingScript()).toEqual([]);
  });
});
