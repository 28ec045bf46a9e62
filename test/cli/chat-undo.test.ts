import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cliSandbox, runCli } from "../support/cli-process.ts";
import { startDeepSeekServer } from "../support/deepseek-server/index.ts";

const apiKey = "sk-chat-undo-test-000333";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe("tansuo chat /undo and tansuo runs diff", () => {
  it("restores the three files a chat turn edited exactly, redoes, and shows the change as a unified diff", async () => {
    const server = await startDeepSeekServer({
      apiKey,
      script: [
        {
          toolCalls: [
            { name: "edit_file", arguments: { path: "app.py", old_text: "x = 1", new_text: "x = 2" } },
            { name: "write_file", arguments: { path: "README.md", content: "# New title\n" } },
            { name: "write_file", arguments: { path: "docs/added.txt", content: "added\n" } },
          ],
        },
        { content: "edited three files" },
      ],
    });
    const sandbox = cliSandbox();
    mkdirSync(sandbox.workspace, { recursive: true });
    cleanups.push(
      () => server.close(),
      () => rmSync(sandbox.folder, { recursive: true, force: true }),
    );
    const file = (name: string) => path.join(sandbox.workspace, name);
    writeFileSync(file("app.py"), "import os\nx = 1\nprint(x)\n");
    writeFileSync(file("README.md"), "# Old title\n");
    const env = {
      TANSUO_HOME: sandbox.home,
      DEEPSEEK_API_KEY: apiKey,
      DEEPSEEK_BASE_URL: server.url,
      TANSUO_RETRY_SCALE: "0.01",
    };
    const cli = (args: string[], input?: string) => runCli(args, { env, cwd: sandbox.workspace, input });

    const input = "edit the three files\n/undo\n/redo\n/undo\n/undo\n/exit\n";
    const chat = await cli(["chat", "--model", "deepseek-v4-flash"], input);
    expect(chat.exitCode).toBe(0);
    expect(chat.stdout).toBe("edited three files\n");
    expect(chat.stderr).toContain(
      [
        "restored app.py (to before step 0)",
        "restored README.md (to before step 0)",
        "restored docs/added.txt (deleted: the run created it) (to before step 0)",
        "restored app.py",
        "restored README.md",
        "restored docs/added.txt",
      ].join("\n"),
    );
    expect(chat.stderr).toContain("nothing further to undo");
    // The last /undo that restored left the files as they were before the turn, byte for byte.
    expect(readFileSync(file("app.py"), "utf8")).toBe("import os\nx = 1\nprint(x)\n");
    expect(readFileSync(file("README.md"), "utf8")).toBe("# Old title\n");
    expect(() => readFileSync(file("docs/added.txt"))).toThrow(/ENOENT/);

    const runId = /chat run (run_\w+)/.exec(chat.stderr)?.[1];
    const diff = await cli(["runs", "diff", runId!]);
    expect(diff.exitCode).toBe(0);
    expect(diff.stdout).toBe(
      [
        "--- a/app.py",
        "+++ b/app.py",
        "@@ -1,3 +1,3 @@",
        " import os",
        "-x = 1",
        "+x = 2",
        " print(x)",
        "--- a/README.md",
        "+++ b/README.md",
        "@@ -1 +1 @@",
        "-# Old title",
        "+# New title",
        "--- /dev/null",
        "+++ b/docs/added.txt",
        "@@ -0,0 +1 @@",
        "+added",
        "",
      ].join("\n"),
    );
    const undo = await cli(["undo", runId!]);
    expect(undo.exitCode).toBe(0);
    expect(undo.stdout).toBe("nothing to restore (to before step 0)\n");
  });
});
