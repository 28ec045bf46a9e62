import type { LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { afterEach, describe, expect, it } from "vitest";
import { approveRun, createRuntime, executeRun, type RunEvent, startRun } from "../../src/agent/index.ts";
import { toolResultsIn } from "../../src/testing/index.ts";
import { defaultWebPolicy } from "../../src/tools/web/web-policy.ts";
import { scriptedHarness } from "../support/agent-harness.ts";
import { articlePage, type LocalWebServer, startLocalWebServer } from "../tools/web/local-web-server.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function sites() {
  const inside = await startLocalWebServer((_request, response) => response.end("internal"), "127.0.0.2");
  const site = await startLocalWebServer((request, response) => {
    if (request.url === "/leave") {
      response.writeHead(302, { location: `${inside.url}/admin` });
      response.end();
      return;
    }
    response.writeHead(200, { "content-type": "text/html" });
    response.end(articlePage);
  });
  cleanups.push(
    () => site.close(),
    () => inside.close(),
  );
  return { site, inside };
}

function webRuntime(harness: ReturnType<typeof scriptedHarness>, requireApproval: boolean) {
  cleanups.push(harness.cleanup);
  return createRuntime({
    store: harness.store,
    resolveModel: harness.runtime.resolveModel,
    toolPolicy: { web: { ...defaultWebPolicy(), allowHosts: ["127.0.0.1"], requireApproval } },
  });
}

const resultsCheck = (site: LocalWebServer, inside: LocalWebServer) => ({
  text: "The article is about arctic foxes; the other link was refused.",
  expect: (options: LanguageModelV3CallOptions) => {
    const [article, refused] = toolResultsIn(options);
    expect(article).toMatchObject({ toolCallId: "article", toolName: "fetch_url", isError: false });
    expect(article!.output).toContain(`URL: ${site.url}/foxes`);
    expect(article!.output).toContain("The arctic fox lives in the far north");
    expect(article!.output).not.toContain("BUY-NOW-ADVERTISEMENT");
    expect(refused).toMatchObject({ toolCallId: "leave", toolName: "fetch_url", isError: true });
    expect(refused!.output).toBe(
      `fetch_url refused ${inside.url}: 127.0.0.2 is a loopback address, not a public one, so nothing was sent. ` +
        `The user can allow it by adding "127.0.0.2" to web.allowHosts in $TANSUO_HOME/config.json.`,
    );
  },
});

describe("fetch_url in a run", () => {
  it("waits for approval, then fetches the page as Markdown and refuses the redirect to a private address", async () => {
    const { site, inside } = await sites();
    const harness = scriptedHarness([
      {
        toolCalls: [
          { name: "fetch_url", input: { url: `${site.url}/foxes` }, id: "article" },
          { name: "fetch_url", input: { url: `${site.url}/leave` }, id: "leave" },
        ],
        expect: (options) => expect((options.tools ?? []).map((tool) => tool.name)).toContain("fetch_url"),
      },
      resultsCheck(site, inside),
    ]);
    const runtime = webRuntime(harness, true);
    const run = await startRun(runtime, {
      task: "read it",
      model: "scripted",
      workspace: harness.workspace,
      approval: "ask",
    });
    const events: RunEvent[] = [];
    const paused = await executeRun(runtime, run.id, { onEvent: (event) => events.push(event) });
    expect(paused.status).toBe("awaiting_approval");
    expect(site.hits).toEqual([]);
    expect(events.find((event) => event.type === "approval-required")).toMatchObject({
      calls: [{ callId: "article", toolName: "fetch_url", input: JSON.stringify({ url: `${site.url}/foxes` }) }],
    });
    // "Always" for this run lets the second fetch go without another question.
    await approveRun(runtime, run.id, { approve: true, always: true });
    const finished = await executeRun(runtime, run.id);
    expect(finished.status).toBe("succeeded");
    expect(finished.output).toBe("The article is about arctic foxes; the other link was refused.");
    expect(site.hits.sort()).toEqual(["/foxes", "/leave"]);
    expect(inside.hits).toEqual([]);
    harness.model.assertFinished();
  });

  it("runs without asking when config says web.requireApproval: false", async () => {
    const { site, inside } = await sites();
    const harness = scriptedHarness([
      {
        toolCalls: [
          { name: "fetch_url", input: { url: `${site.url}/foxes` }, id: "article" },
          { name: "fetch_url", input: { url: `${site.url}/leave` }, id: "leave" },
        ],
      },
      resultsCheck(site, inside),
    ]);
    const runtime = webRuntime(harness, false);
    const run = await startRun(runtime, { task: "read it", model: "scripted", workspace: harness.workspace });
    const finished = await executeRun(runtime, run.id);
    expect(finished.status).toBe("succeeded");
    expect(inside.hits).toEqual([]);
    harness.model.assertFinished();
  });
});
