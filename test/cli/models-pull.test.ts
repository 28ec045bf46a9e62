import { existsSync, rmSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cliSandbox, runCli, tinyModelPath } from "../support/cli-process.ts";
import { startModelFileServer } from "../support/model-file-server.ts";

let sandbox: ReturnType<typeof cliSandbox>;
const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  rmSync(sandbox.folder, { recursive: true, force: true });
});

describe("tansuo models pull and recommended", () => {
  it("lists the recommended open models with their size, kind and why", async () => {
    sandbox = cliSandbox();
    const listed = await runCli(["models", "pull"], { env: { TANSUO_HOME: sandbox.home }, cwd: sandbox.folder });
    expect(listed.exitCode).toBe(0);
    const lines = listed.stdout.split("\n");
    const row = (name: string) => lines.find((line) => line.startsWith(`${name} `)) ?? "";
    expect(row("qwen2.5-1.5b-instruct")).toMatch(/1\.12 GB +instruct +The default/);
    expect(row("qwen2.5-7b-instruct")).toMatch(/4\.68 GB \(2 parts\) +instruct/);
    expect(row("qwen2.5-coder-7b-instruct")).toMatch(/4\.68 GB +instruct +For coding/);
    expect(row("llama-3.2-3b-instruct")).toMatch(/2\.02 GB +instruct/);
    expect(row("deepseek-r1-distill-qwen-1.5b")).toMatch(/1\.12 GB +reasoning/);
    expect(row("deepseek-r1-distill-qwen-7b")).toMatch(/4\.68 GB +reasoning/);

    const json = await runCli(["models", "recommended", "--json"], {
      env: { TANSUO_HOME: sandbox.home },
      cwd: sandbox.folder,
    });
    const models = JSON.parse(json.stdout) as Array<{ name: string; uri: string; files: { sha256?: string }[] }>;
    expect(models).toHaveLength(6);
    for (const model of models) {
      expect(model.uri).toMatch(/^hf:[^/]+\/[^/]+-GGUF\/.+q4_k_m(-0000\d-of-0000\d)?\.gguf$/i);
      for (const file of model.files) expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it("pulls an hf: file through a broken connection into $TANSUO_HOME/models with progress lines", async () => {
    sandbox = cliSandbox();
    const bytes = await readFile(tinyModelPath);
    const server = await startModelFileServer(
      new Map([["/someone/tiny-GGUF/resolve/main/llama-2-tiny-random.gguf", bytes]]),
      { dropAtByte: 600_000 },
    );
    servers.push(server);
    const env = { TANSUO_HOME: sandbox.home, HF_ENDPOINT: server.url };
    const pulled = await runCli(["models", "pull", "hf:someone/tiny-GGUF/llama-2-tiny-random.gguf"], {
      env,
      cwd: sandbox.folder,
    });

    expect(pulled.stderr).toContain("Downloading model: 100% of 1.7 MB");
    expect(pulled.exitCode).toBe(0);
    const modelPath = path.join(sandbox.home, "models", "llama-2-tiny-random.gguf");
    expect(pulled.stdout).toContain(`Downloaded ${modelPath} (1.7 MB, no checksum known; size checked only)`);
    expect((await readFile(modelPath)).equals(bytes)).toBe(true);
    expect(server.requests.filter((request) => request.rangeStart !== undefined).length).toBeGreaterThan(1);

    const again = await runCli(["models", "pull", "hf:someone/tiny-GGUF/llama-2-tiny-random.gguf"], {
      env,
      cwd: sandbox.folder,
    });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain("llama-2-tiny-random.gguf (not downloaded again)");
  });

  it("refuses a recommended model whose bytes are not the published file and keeps nothing under its name", async () => {
    sandbox = cliSandbox();
    const server = await startModelFileServer(
      new Map([
        ["/Qwen/Qwen2.5-1.5B-Instruct-GGUF/resolve/main/qwen2.5-1.5b-instruct-q4_k_m.gguf", Buffer.alloc(4096, 7)],
      ]),
    );
    servers.push(server);
    const pulled = await runCli(["models", "pull", "qwen2.5-1.5b-instruct"], {
      env: { TANSUO_HOME: sandbox.home, HF_ENDPOINT: server.url },
      cwd: sandbox.folder,
    });

    expect(pulled.exitCode).toBe(1);
    expect(pulled.stderr).toContain("qwen2.5-1.5b-instruct-q4_k_m.gguf has 4096 bytes, not the 1117320736");
    const modelsDirectory = path.join(sandbox.home, "models");
    expect(existsSync(path.join(modelsDirectory, "qwen2.5-1.5b-instruct-q4_k_m.gguf"))).toBe(false);
    expect(await readdir(path.join(modelsDirectory, ".downloading"))).toEqual([]);
  });

  it("says what it accepts for an argument that is neither a name nor an hf: URI", async () => {
    sandbox = cliSandbox();
    const pulled = await runCli(["models", "pull", "gpt-9"], {
      env: { TANSUO_HOME: sandbox.home },
      cwd: sandbox.folder,
    });
    expect(pulled.exitCode).toBe(1);
    expect(pulled.stderr).toContain('"gpt-9" is neither a recommended model nor an hf:<user>/<repo>/<file>.gguf URI');
  });
});
