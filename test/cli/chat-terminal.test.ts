import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { repositoryRoot, waitFor } from "../support/cli-process.ts";
import { chatRequests, deepSeekCliWorld, messagesOf } from "../support/cli-world.ts";

const apiKey = "sk-chat-terminal-key-000333";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** `tansuo chat` on a pseudo-terminal (util-linux `script`), typed into as a person would. */
function chatOnTerminal(env: Record<string, string>, cwd: string) {
  const command = [process.execPath, path.join(repositoryRoot, "bin/tansuo.js"), "chat", "--model", "deepseek-v4-flash"]
    .map((part) => `'${part}'`)
    .join(" ");
  // `exec`: no shell stays between script and tansuo, or the shell would take the terminal's Ctrl-C and die of it.
  const child = spawn("script", ["-qfec", `exec ${command}`, "/dev/null"], {
    cwd,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", TERM: "dumb", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let screen = "";
  child.stdout.setEncoding("utf8");
  let errors = "";
  child.stderr.on("data", (chunk) => {
    errors += chunk;
  });
  child.stdout.on("data", (chunk) => {
    screen += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  cleanups.push(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  // Each wait reads on from where the last one matched, as a person reads down the screen.
  let cursor = 0;
  return {
    screen: () => screen,
    /** What showed since the last match. */
    sinceLastMatch: () => screen.slice(cursor),
    type: (text: string) => child.stdin.write(text),
    /** Waits until `text` shows after the last match. */
    waitFor: async (text: string) => {
      await waitFor(() => screen.indexOf(text, cursor) >= 0, 30_000).catch(() => {
        throw new Error(
          `"${text}" never showed; the screen after the last match: ${JSON.stringify(screen.slice(cursor))}; script said: ${errors}`,
        );
      });
      const start = screen.indexOf(text, cursor);
      const skipped = screen.slice(cursor, start);
      cursor = start + text.length;
      return skipped;
    },
    exited,
  };
}

describe("tansuo chat on a terminal", () => {
  it("streams answers, asks approvals inline, and Ctrl-C stops a step but keeps the session", async () => {
    const { sandbox, env } = await deepSeekCliWorld(apiKey, (cleanup) => cleanups.push(cleanup), {
      script: [
        { toolCalls: [{ name: "run_command", arguments: { command: "echo from chat > note.txt" } }] },
        { content: "I wrote note.txt for you." },
        // Slow enough that Ctrl-C lands mid-answer.
        { content: "one two three four five six seven eight nine ten eleven twelve", chunkDelayMs: 400 },
        { content: "Third answer." },
      ],
    });
    const chat = chatOnTerminal(env, sandbox.workspace);

    await chat.waitFor("› ");
    chat.type("write a note\r");
    await chat.waitFor("Allow run_command");
    chat.type("y\r");
    await chat.waitFor("I wrote note.txt for you.");
    expect(readFileSync(path.join(sandbox.workspace, "note.txt"), "utf8")).toBe("from chat\n");

    await chat.waitFor("› ");
    chat.type("count slowly\r");
    await chat.waitFor("one");
    chat.type("\x03");
    const beforeStop = await chat.waitFor("stopped; the next message continues the run");
    expect(beforeStop).toContain("interrupted by the user");
    await chat.waitFor("› ");

    chat.type("and now?\r");
    const answer = await chat.waitFor("Third answer.");
    // The slow answer was cut: its later words never reached the screen.
    expect(answer).not.toContain("twelve");
    await chat.waitFor("› ");
    chat.type("/exit\r");
    expect(await chat.exited, chat.sinceLastMatch()).toBe(0);
    expect(chat.screen()).not.toContain("twelve");

    // One durable run held the whole conversation, with the key nowhere on the screen.
    expect(chat.screen()).not.toContain(apiKey);
    const database = path.join(sandbox.home, "tansuo.db");
    expect(existsSync(database)).toBe(true);
    const store = new SqliteStore(database);
    try {
      const runs = await store.listRuns();
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ status: "succeeded", output: "Third answer." });
      expect((await store.listRunMessages(runs[0]!.id)).map((message) => message.content)).toEqual([
        "count slowly",
        "and now?",
      ]);
    } finally {
      await store.close();
    }
  }, 90_000);

  it("steers a running turn with a line typed while a command runs, and an approval's answer is not taken for one", async () => {
    const { server, sandbox, env } = await deepSeekCliWorld(apiKey, (cleanup) => cleanups.push(cleanup), {
      script: [
        { toolCalls: [{ name: "run_command", arguments: { command: "touch started; sleep 2; echo built" } }] },
        { content: "Built, and I heard you." },
      ],
    });
    const chat = chatOnTerminal(env, sandbox.workspace);
    await chat.waitFor("› ");
    chat.type("build it\r");
    await chat.waitFor("Allow run_command");
    chat.type("y\r");
    // Typed while the command sleeps: queued, then delivered with the command's result.
    await waitFor(() => existsSync(path.join(sandbox.workspace, "started")));
    chat.type("use the fast profile\r");
    await chat.waitFor("queued: delivered at the next tool boundary");
    await chat.waitFor("Built, and I heard you.");
    await chat.waitFor("› ");
    chat.type("/exit\r");
    expect(await chat.exited, chat.sinceLastMatch()).toBe(0);

    const requests = chatRequests(server.requests);
    expect(requests).toHaveLength(2);
    const messages = messagesOf(requests[1]!);
    expect(messages.at(-2)?.role).toBe("tool");
    expect(messages.at(-1)).toEqual({ role: "user", content: "use the fast profile" });
    // The "y" answered the approval and went nowhere else.
    expect(messages.filter((message) => message.role === "user").map((message) => message.content)).toEqual([
      "build it",
      "use the fast profile",
    ]);
  }, 60_000);
});
