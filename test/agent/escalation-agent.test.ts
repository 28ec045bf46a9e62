import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Agent } from "../../src/agent/index.ts";
import { startDeepSeekServer } from "../support/deepseek-server/index.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const readMissing = (file: string) => ({ toolCalls: [{ name: "read_file", arguments: { path: file } }] });

describe("new Agent({ models })", () => {
  it("runs on the ladder: the first model without thinking, then thinking after 2 tool errors", async () => {
    const apiKey = "sk-agent-ladder-000555";
    const server = await startDeepSeekServer({
      apiKey,
      rules: { reasoningContent: "v3.2-requires-on-tool-turns" },
      script: [readMissing("a.txt"), readMissing("b.txt"), { reasoningContent: "no such files", content: "None." }],
    });
    const folder = mkdtempSync(path.join(tmpdir(), "tansuo-agent-ladder-"));
    const workspace = path.join(folder, "workspace");
    mkdirSync(workspace);
    vi.stubEnv("TANSUO_HOME", path.join(folder, "home"));
    vi.stubEnv("DEEPSEEK_API_KEY", apiKey);
    const agent = new Agent({
      models: ["deepseek-v4-flash", "deepseek-v4-pro"],
      baseUrl: server.url,
      tools: ["read_file"],
      workspace,
      memory: true,
      approval: "auto",
    });
    cleanups.push(
      () => server.close(),
      () => agent.close(),
      () => rmSync(folder, { recursive: true, force: true }),
    );
    const result = await agent.run("read a.txt or b.txt");
    expect(result).toMatchObject({ status: "succeeded", output: "None.", steps: 3 });
    const sent = server.requests.map((request) => {
      const body = request.body as { model: string; thinking: { type: string } };
      return `${body.model}:${body.thinking.type}`;
    });
    expect(sent).toEqual(["deepseek-v4-flash:disabled", "deepseek-v4-flash:disabled", "deepseek-v4-flash:enabled"]);
  });

  it("without model or models it says which option to pass", async () => {
    const agent = new Agent({ memory: true });
    await expect(agent.run("t")).rejects.toThrow("pass `model` (an id or an instance) or `models` (a ladder)");
  });
});
