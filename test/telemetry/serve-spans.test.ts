import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cliSandbox, spawnCli, waitFor } from "../support/cli-process.ts";
import { startDeepSeekServer } from "../support/deepseek-server/index.ts";
import { childrenOf, startOtlpReceiver } from "./otlp-receiver.ts";

const apiKey = "sk-telemetry-serve-000888";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("tansuo serve with OTEL_EXPORTER_OTLP_ENDPOINT", () => {
  it("exports its request spans when stopped with SIGTERM", async () => {
    const receiver = await startOtlpReceiver();
    const upstream = await startDeepSeekServer({
      apiKey,
      script: [{ content: "served", usage: { promptTokens: 50, cacheHitTokens: 0, completionTokens: 2 } }],
    });
    const sandbox = cliSandbox();
    mkdirSync(sandbox.home, { recursive: true });
    writeFileSync(
      path.join(sandbox.home, "config.json"),
      JSON.stringify({ models: [{ id: "deepseek-v4-flash", baseUrl: upstream.url }] }),
    );
    const child = spawnCli(["serve", "--port", "0"], {
      env: { TANSUO_HOME: sandbox.home, DEEPSEEK_API_KEY: apiKey, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
      cwd: sandbox.folder,
    });
    cleanups.push(
      () => receiver.close(),
      () => upstream.close(),
      () => rmSync(sandbox.folder, { recursive: true, force: true }),
      () => {
        if (child.exitCode === null) child.kill("SIGKILL");
      },
    );
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    await waitFor(() => /listening on (http:\/\/\S+) /.test(output));
    const base = /listening on (http:\/\/\S+) /.exec(output)![1]!;
    const answer = await fetch(`${base}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "deepseek-v4-flash", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(answer.status).toBe(200);
    await answer.json();
    child.kill("SIGTERM");
    const result = await child.result;
    expect(result.exitCode).toBe(0);
    const [request] = receiver.spans.filter((span) => span.name === "POST /v1/chat/completions");
    expect(request?.kind).toBe(2);
    expect(request?.attributes["http.response.status_code"]).toBe(200);
    const [chat] = childrenOf(receiver.spans, request!);
    expect(chat?.name).toBe("chat deepseek-v4-flash");
    expect(chat?.attributes["gen_ai.usage.input_tokens"]).toBe(50);
  });
});
