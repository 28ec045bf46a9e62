import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../support/cli-process.ts";
import { chatRequests, deepSeekCliWorld } from "../support/cli-world.ts";
import type { RecordedRequest, ScriptedReply } from "../support/deepseek-server/index.ts";

const apiKey = "sk-fallback-cli-000555";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const modelOf = (request: RecordedRequest) => (request.body as { model: string }).model;

describe("tansuo run --fallbacks", () => {
  it("a model that goes down mid-run hands the run to its fallback, and runs show tells the switch", async () => {
    let proCalls = 0;
    const { server, sandbox, env } = await deepSeekCliWorld(apiKey, (cleanup) => cleanups.push(cleanup), {
      files: { "notes.txt": "ship it\n" },
      fallback: (request): ScriptedReply => {
        if (modelOf(request) === "deepseek-v4-pro") {
          proCalls += 1;
          // The first step answers; from the second on the model is down (retries included).
          return proCalls === 1
            ? { toolCalls: [{ name: "read_file", arguments: { path: "notes.txt" } }] }
            : { status: 503, message: "Service Unavailable" };
        }
        return { content: "The notes say: ship it." };
      },
    });
    const options = { env, cwd: sandbox.workspace };
    const run = await runCli(
      [
        "run",
        "--model",
        "deepseek-v4-pro",
        "--fallbacks",
        "deepseek-v4-flash",
        "--tools",
        "read_file",
        "--approval",
        "auto",
        "--json",
        "read the notes",
      ],
      options,
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const finished = JSON.parse(run.stdout) as { id: string; output: string };
    expect(finished.output).toBe("The notes say: ship it.");
    // pro answered once, then failed (with its retries); flash answered the rest.
    const models = chatRequests(server.requests).map(modelOf);
    expect(models[0]).toBe("deepseek-v4-pro");
    expect(models.at(-1)).toBe("deepseek-v4-flash");
    expect(models.filter((model) => model === "deepseek-v4-flash")).toHaveLength(1);

    const shown = await runCli(["runs", "show", finished.id], options);
    expect(shown.exitCode, shown.stderr).toBe(0);
    // Step 2 is pro's failed call (discarded, $0); the switch follows it, and step 3 is flash's answer.
    expect(shown.stdout).toMatch(/step 2 · deepseek-v4-pro .*discarded/);
    expect(shown.stdout).toMatch(/after step 2: fell back deepseek-v4-pro → deepseek-v4-flash: .*HTTP 503/);
    expect(shown.stdout).toMatch(/step 3 · deepseek-v4-flash .*\n\s+The notes say: ship it\./);
  }, 60_000);
});
