import { rmSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { cliSandbox, runCli, spawnCli } from "../support/cli-process.ts";

let sandbox: ReturnType<typeof cliSandbox>;
afterEach(() => rmSync(sandbox.folder, { recursive: true, force: true }));

describe("tansuo models and --help", () => {
  it("prints the catalog as JSON with dated DeepSeek prices, and lists every command in --help", async () => {
    sandbox = cliSandbox();
    const env = { TANSUO_HOME: sandbox.home };
    const result = await runCli(["models", "--json"], { env, cwd: sandbox.folder });
    expect(result.exitCode).toBe(0);
    const models = JSON.parse(result.stdout) as Record<string, unknown>[];
    for (const model of models) {
      expect(model).toMatchObject({
        id: expect.any(String),
        provider: expect.any(String),
        contextWindow: expect.any(Number),
        maxOutputTokens: expect.any(Number),
        capabilities: expect.objectContaining({ tools: expect.any(Boolean), thinking: expect.any(Boolean) }),
      });
    }
    const flash = models.find((model) => model.id === "deepseek-v4-flash");
    expect(flash?.pricing).toMatchObject({
      inputCacheHit: "0.0028",
      inputCacheMiss: "0.14",
      output: "0.28",
      effectiveFrom: "2026-04-26T12:15:00Z",
    });
    const chat = models.find((model) => model.id === "deepseek-chat") as { priceHistory: { effectiveFrom: string }[] };
    expect(chat.priceHistory.map((row) => row.effectiveFrom.slice(0, 10))).toEqual([
      "2024-08-02",
      "2025-02-08",
      "2025-02-26",
      "2025-09-05",
      "2025-09-29",
      "2026-04-24",
      "2026-04-26",
    ]);
    const past = JSON.parse(
      (await runCli(["models", "--json", "--at", "2025-03-01T17:00:00Z"], { env, cwd: sandbox.folder })).stdout,
    );
    expect(past.find((model: { id: string }) => model.id === "deepseek-chat").pricing).toMatchObject({
      inputCacheMiss: "0.135",
      output: "0.55",
    });

    const help = await runCli(["--help"], { env, cwd: sandbox.folder });
    for (const command of ["run", "models", "runs", "resume", "approve", "cancel", "serve", "keys", "eval"]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
    }
  });

  it("ends quietly with exit 0 when the reader closes the pipe early (`tansuo models | head -1`)", async () => {
    sandbox = cliSandbox();
    const child = spawnCli(["models"], { env: { TANSUO_HOME: sandbox.home }, cwd: sandbox.folder });
    // Like head: read the first chunk, then close our end before the rest is written.
    child.stdout?.once("data", () => child.stdout?.destroy());
    const result = await child.result;
    expect(result.exitCode).toBe(0);
    expect(result.stderr).not.toMatch(/EPIPE|Unhandled/);
  });
});
