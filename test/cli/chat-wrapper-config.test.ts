import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createCliContext } from "../../src/cli/create-cli-context.ts";
import { tinyModelPath } from "../support/tiny-model.ts";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function contextWith(config: unknown, env: Record<string, string> = {}) {
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-chat-wrapper-"));
  folders.push(folder);
  const home = path.join(folder, "home");
  mkdirSync(home);
  writeFileSync(path.join(home, "config.json"), JSON.stringify(config));
  const stream = () => new PassThrough();
  return createCliContext({
    env: { TANSUO_HOME: home, TANSUO_THREADS: "1", TANSUO_CONTEXT_SIZE: "512", ...env },
    cwd: folder,
    stdout: stream(),
    stderr: stream(),
    stdin: stream(),
    isTerminal: false,
  });
}

/** The chat format the loaded local model was given, as its catalog entry names it. */
async function chatFormatOf(context: ReturnType<typeof contextWith>): Promise<string | undefined> {
  const resolved = await context.resolveModel(tinyModelPath);
  try {
    return /\((.+) chat format\)/.exec(resolved.entry.notes ?? "")?.[1];
  } finally {
    await resolved.close();
  }
}

describe("config embedded.chatWrapper", () => {
  it("forces the local model's chat wrapper; TANSUO_CHAT_WRAPPER still wins over it", async () => {
    expect(await chatFormatOf(contextWith({ embedded: { chatWrapper: "mistral" } }))).toBe("Mistral");
    expect(
      await chatFormatOf(contextWith({ embedded: { chatWrapper: "mistral" } }, { TANSUO_CHAT_WRAPPER: "qwen" })),
    ).toBe("Qwen");
  });

  it("refuses a wrapper name it does not know, naming the ones it does", () => {
    expect(() => contextWith({ embedded: { chatWrapper: "chatml" } })).toThrow(/embedded\.chatWrapper/);
  });
});
