import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cliSandbox, runCli } from "../support/cli-process.ts";
import { type ScriptedReply, startDeepSeekServer } from "../support/deepseek-server/index.ts";
import { tinyPng } from "../support/tiny-images.ts";

const apiKey = "sk-vision-test-key-424242";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const picture = tinyPng(2, 2, [10, 200, 30]);
const pictureUrl = `data:image/png;base64,${picture.toString("base64")}`;

/** A fake OpenAI-format server and a $TANSUO_HOME whose config adds a vision model and a text-only one on it. */
async function setup(script: ScriptedReply[]) {
  const server = await startDeepSeekServer({ apiKey, script });
  const sandbox = cliSandbox();
  mkdirSync(sandbox.workspace, { recursive: true });
  mkdirSync(sandbox.home, { recursive: true });
  cleanups.push(
    () => server.close(),
    () => rmSync(sandbox.folder, { recursive: true, force: true }),
  );
  const model = (id: string, vision: boolean) => ({
    id,
    provider: "openai-compatible",
    upstreamModel: "deepseek-ai/deepseek-vl2",
    baseUrl: server.url,
    apiKeyEnv: "VL_API_KEY",
    contextWindow: 32768,
    maxOutputTokens: 4096,
    capabilities: { tools: true, vision },
  });
  writeFileSync(
    path.join(sandbox.home, "config.json"),
    JSON.stringify({ models: [model("deepseek-vl2", true), model("text-only", false)] }),
  );
  writeFileSync(path.join(sandbox.workspace, "pic.png"), picture);
  const env = { TANSUO_HOME: sandbox.home, VL_API_KEY: apiKey, TANSUO_RETRY_SCALE: "0.01" };
  const cli = (args: string[]) => runCli(args, { env, cwd: sandbox.workspace });
  return { server, sandbox, cli };
}

type WireMessage = { role: string; content: unknown; tool_call_id?: string };
const messagesOf = (body: unknown) => (body as { messages: WireMessage[] }).messages;

describe("tansuo run --image", () => {
  it("sends the image to a vision model as an image_url data URL with the exact bytes, and a read image after the tool message", async () => {
    const chart = tinyPng(3, 1, [0, 0, 255]);
    const { server, sandbox, cli } = await setup([
      { toolCalls: [{ id: "call_read", name: "read_file", arguments: { path: "chart.bin" } }] },
      { content: "A green square and a blue bar." },
    ]);
    writeFileSync(path.join(sandbox.workspace, "chart.bin"), chart);
    const result = await cli(["run", "--model", "deepseek-vl2", "--image", "pic.png", "--json", "What", "is", "this?"]);
    expect(result.stderr).not.toContain(picture.toString("base64"));
    expect(result.exitCode).toBe(0);
    const run = JSON.parse(result.stdout);
    expect(run).toMatchObject({ status: "succeeded", output: "A green square and a blue bar." });

    const first = messagesOf(server.requests[0]!.body);
    expect(first[1]).toEqual({
      role: "user",
      content: [
        { type: "text", text: "What is this?" },
        { type: "image_url", image_url: { url: pictureUrl } },
      ],
    });
    // The chat format has no images in a tool message: the text goes there, the image in a user message after it.
    const second = messagesOf(server.requests[1]!.body);
    expect(second.slice(-2)).toEqual([
      { role: "tool", tool_call_id: "call_read", content: `"chart.bin": PNG image, 3×1, ${chart.length} bytes` },
      {
        role: "user",
        content: [
          { type: "text", text: "Images returned by the tool calls above:" },
          { type: "image_url", image_url: { url: `data:image/png;base64,${chart.toString("base64")}` } },
        ],
      },
    ]);
    expect(second[1]).toEqual(first[1]);

    // Transcripts name the images and never print their bytes.
    const shown = await cli(["runs", "show", run.id]);
    expect(shown.stdout).toContain(`[image image/png ${picture.length} B]`);
    expect(shown.stdout).toContain(`[image image/png ${chart.length} B]`);
    const json = await cli(["runs", "show", run.id, "--json"]);
    expect(json.stdout).not.toContain(picture.toString("base64"));
    expect(json.stdout).not.toContain(chart.toString("base64"));
    expect(JSON.parse(json.stdout).settings.images).toEqual([`[image image/png ${picture.length} B]`]);
  });

  it("re-sends the same bytes when a run waiting for an approval continues", async () => {
    const { server, cli } = await setup([
      { toolCalls: [{ name: "run_command", arguments: { command: "true" } }] },
      { content: "Done." },
    ]);
    const waiting = await cli([
      "run",
      "--model",
      "deepseek-vl2",
      "--image",
      "pic.png",
      "--approval",
      "ask",
      "--json",
      "Look",
    ]);
    expect(waiting.exitCode).toBe(4);
    const { id } = JSON.parse(waiting.stdout);
    const approved = await cli(["approve", id, "--json"]);
    expect(approved.exitCode).toBe(0);
    expect(server.requests).toHaveLength(2);
    expect(messagesOf(server.requests[1]!.body)[1]).toEqual({
      role: "user",
      content: [
        { type: "text", text: "Look" },
        { type: "image_url", image_url: { url: pictureUrl } },
      ],
    });
  });

  it("refuses images for a model without vision, with exit 2 and before any call", async () => {
    const { server, cli } = await setup([]);
    const result = await cli(["run", "--model", "text-only", "--image", "pic.png", "Describe"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("text-only has no vision in the catalog, so it cannot be given images");
    expect(server.requests).toHaveLength(0);
    const runs = await cli(["runs", "list", "--json"]);
    expect(JSON.parse(runs.stdout)).toEqual([]);
  });

  it("refuses a file named .png whose content is text, naming the file, with exit 2", async () => {
    const { server, sandbox, cli } = await setup([]);
    writeFileSync(path.join(sandbox.workspace, "fake.png"), "I am text pretending to be a picture\n");
    const result = await cli([
      "run",
      "--model",
      "deepseek-vl2",
      "--image",
      "pic.png",
      "--image",
      "fake.png",
      "Describe",
    ]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      `The image ${path.join(sandbox.workspace, "fake.png")} is not an image Tansuo can send`,
    );
    expect(server.requests).toHaveLength(0);
  });
});
