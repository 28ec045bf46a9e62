import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createKeysCommand } from "../../src/cli/commands/keys.ts";
import { createServeCommand } from "../../src/cli/commands/serve.ts";
import { createCliContext } from "../../src/cli/create-cli-context.ts";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function cli() {
  const home = mkdtempSync(path.join(tmpdir(), "tansuo-serve-cli-"));
  folders.push(home);
  let output = "";
  const stdout = new PassThrough();
  stdout.on("data", (chunk) => {
    output += chunk;
  });
  const context = createCliContext({
    env: { TANSUO_HOME: home },
    cwd: home,
    stdout,
    stderr: new PassThrough(),
    stdin: new PassThrough(),
    isTerminal: false,
  });
  const quiet = { writeOut: () => {}, writeErr: () => {} };
  const program = (command: Command) => {
    for (const sub of [command, ...command.commands]) sub.exitOverride().configureOutput(quiet);
    return new Command("tansuo").exitOverride().configureOutput(quiet).addCommand(command);
  };
  return {
    context,
    output: () => output,
    clear: () => {
      output = "";
    },
    keys: (...args: string[]) => program(createKeysCommand(context)).parseAsync(["node", "tansuo", "keys", ...args]),
    program,
  };
}

describe("tansuo keys", () => {
  it("creates a key shown once, lists keys without it, and revokes by prefix", async () => {
    const { keys, output, clear, context } = cli();
    await keys("create", "--name", "app", "--budget", "2.5", "--rpm", "30", "--concurrency", "2");
    const key = output().split("\n")[0]!;
    expect(key).toMatch(/^tsk_/);
    expect(output()).toContain("only time the key is shown");
    clear();
    await keys("list");
    expect(output()).toContain("app");
    expect(output()).toContain("$2.5000");
    expect(output()).toContain("active");
    expect(output()).not.toContain(key);
    const [record] = await context.openStore().listApiKeys();
    clear();
    await keys("revoke", `${record!.prefix}...`);
    expect(output()).toContain("Revoked");
    clear();
    await keys("list", "--json");
    const listed = JSON.parse(output());
    expect(listed[0]).toMatchObject({ name: "app", budgetUsd: "2.5", requestsPerMinute: 30, concurrency: 2 });
    expect(listed[0].revokedAt).toBeDefined();
    expect(listed[0].hash).toBeUndefined();
    await expect(keys("revoke", "key_nope")).rejects.toThrow(/No active key/);
    await expect(keys("create", "--budget", "-1")).rejects.toThrow();
    context.openStore().close();
  });
});

describe("tansuo serve", () => {
  it("prints the URL, serves until stopped, then stops", async () => {
    const { context, output, program } = cli();
    let stop = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const serving = program(createServeCommand(context, { untilStopped: () => stopped })).parseAsync([
      "node",
      "tansuo",
      "serve",
      "--port",
      "0",
    ]);
    await vi.waitFor(() => expect(output()).toContain("listening on"));
    const url = output().match(/listening on (http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    expect(output()).toContain("No API keys");
    const models = await fetch(`${url}/v1/models`);
    expect(models.status).toBe(200);
    stop();
    await serving;
    expect(output()).toContain("Gateway stopped.");
    context.openStore().close();
  });

  it("refuses a non-loopback address while no key exists, saying how to create one", async () => {
    const { context, program } = cli();
    const serving = program(createServeCommand(context, { untilStopped: async () => {} })).parseAsync([
      "node",
      "tansuo",
      "serve",
      "--host",
      "0.0.0.0",
      "--port",
      "0",
    ]);
    await expect(serving).rejects.toThrow(/Refusing to listen on 0\.0\.0\.0.*tansuo keys create/);
    context.openStore().close();
  });
});
