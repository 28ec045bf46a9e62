import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { spawnCli, waitFor } from "../support/cli-process.ts";
import { chatRequests, deepSeekCliWorld, messagesOf } from "../support/cli-world.ts";

const apiKey = "sk-chat-steering-key-000444";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe("steering a running tansuo chat turn", () => {
  it("delivers a line written during a turn at the next tool boundary, and one written after the last boundary as the next turn", async () => {
    const { server, sandbox, env } = await deepSeekCliWorld(apiKey, (cleanup) => cleanups.push(cleanup), {
      script: [
        { toolCalls: [{ name: "list_files", arguments: { path: "." } }] },
        // Slow, so the test writes its steering line while this call is out.
        { toolCalls: [{ name: "read_file", arguments: { path: "notes.md" } }], delayMs: 1500 },
        { content: "Read the notes and the readme.", delayMs: 1500 },
        { content: "And the late line too." },
      ],
      files: { "notes.md": "# notes\n" },
    });
    const chat = spawnCli(["chat", "--model", "deepseek-v4-flash"], {
      env,
      cwd: sandbox.workspace,
      keepInputOpen: true,
    });
    cleanups.push(() => {
      if (chat.exitCode === null) chat.kill("SIGKILL");
    });
    let stderr = "";
    chat.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    chat.stdin!.write("look at the notes\n");

    await waitFor(() => chatRequests(server.requests).length >= 2);
    chat.stdin!.write("also read the readme\n");
    await waitFor(() => stderr.includes("queued: delivered at the next tool boundary"));

    await waitFor(() => chatRequests(server.requests).length >= 3);
    chat.stdin!.write("one more thing\n");
    await waitFor(() => (stderr.match(/queued: delivered/g) ?? []).length >= 2);
    await waitFor(() => chatRequests(server.requests).length >= 4);
    chat.stdin!.end();
    const result = await chat.result;

    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe("Read the notes and the readme.\nAnd the late line too.\n");
    const prompts = chatRequests(server.requests).map(messagesOf);
    // The steering line came in after the second step's tool result, before the third call.
    const third = prompts[2]!;
    expect(third.at(-1)).toEqual({ role: "user", content: "also read the readme" });
    expect(third.at(-2)?.role).toBe("tool");
    expect(prompts[1]!.some((message) => message.content === "also read the readme")).toBe(false);
    // The line written during the last answer became the next turn, after that answer.
    const fourth = prompts[3]!;
    expect(fourth.slice(-2)).toEqual([
      expect.objectContaining({ role: "assistant", content: "Read the notes and the readme." }),
      { role: "user", content: "one more thing" },
    ]);
    expect(server.remainingScript()).toEqual([]);

    // Both were stored durably, at the step they joined: a resume rebuilds the same prompt.
    const store = new SqliteStore(path.join(sandbox.home, "tansuo.db"));
    try {
      const [run] = await store.listRuns();
      const messages = await store.listRunMessages(run!.id);
      expect(messages.map((message) => [message.content, message.afterStep])).toEqual([
        ["also read the readme", 2],
        ["one more thing", 3],
      ]);
      expect(await store.listPendingRunMessages(run!.id)).toEqual([]);
    } finally {
      await store.close();
    }
  }, 60_000);
});
