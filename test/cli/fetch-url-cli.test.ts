import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cliSandbox, runCli } from "../support/cli-process.ts";
import { startDeepSeekServer } from "../support/deepseek-server/index.ts";
import { articlePage, startLocalWebServer } from "../tools/web/local-web-server.ts";

const apiKey = "sk-web-cli-secret-000222";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

interface WireMessage {
  role: string;
  content: string;
  tool_call_id?: string;
}

describe("tansuo run with fetch_url", () => {
  it("fetches a local page as Markdown while a redirect to a private address is refused", async () => {
    const inside = await startLocalWebServer((_request, response) => response.end("internal"), "127.0.0.2");
    const site = await startLocalWebServer((request, response) => {
      if (request.url === "/leave") {
        response.writeHead(302, { location: `${inside.url}/admin` });
        response.end();
        return;
      }
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(articlePage);
    });
    const server = await startDeepSeekServer({
      apiKey,
      script: [
        {
          toolCalls: [
            { name: "fetch_url", arguments: { url: `${site.url}/foxes` } },
            { name: "fetch_url", arguments: { url: `${site.url}/leave` } },
          ],
          usage: { promptTokens: 900, completionTokens: 30 },
        },
        {
          content: "Arctic foxes change coat; the second link was refused.",
          usage: { promptTokens: 2000, completionTokens: 12 },
        },
      ],
    });
    const sandbox = cliSandbox();
    mkdirSync(sandbox.workspace, { recursive: true });
    mkdirSync(sandbox.home, { recursive: true });
    cleanups.push(
      () => site.close(),
      () => inside.close(),
      () => server.close(),
      () => rmSync(sandbox.folder, { recursive: true, force: true }),
    );
    writeFileSync(path.join(sandbox.home, "config.json"), JSON.stringify({ web: { allowHosts: ["127.0.0.1"] } }));
    const env = { TANSUO_HOME: sandbox.home, DEEPSEEK_API_KEY: apiKey, TANSUO_RETRY_SCALE: "0.01" };
    const result = await runCli(
      ["run", "--model", "deepseek-chat", "--base-url", server.url, "--approval", "auto", "--json", "read the page"],
      { env, cwd: sandbox.workspace },
    );
    // The user sees which fetch worked and which was refused.
    expect(result.stderr).toContain(`✓ fetch_url {"url":"${site.url}/foxes"}`);
    expect(result.stderr).toContain(`✗ fetch_url {"url":"${site.url}/leave"}`);
    expect(result.stderr).not.toContain(apiKey);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: "succeeded",
      output: "Arctic foxes change coat; the second link was refused.",
    });
    const second = server.requests[1]!.body as { messages: WireMessage[]; tools: { function: { name: string } }[] };
    expect(second.tools.map((tool) => tool.function.name)).toContain("fetch_url");
    expect(second.tools.map((tool) => tool.function.name)).not.toContain("web_search");
    const toolMessages = second.messages.filter((message) => message.role === "tool");
    expect(toolMessages).toHaveLength(2);
    const [article, refused] = toolMessages.map((message) => message.content);
    expect(article).toContain(`URL: ${site.url}/foxes\nStatus: 200 · Content-Type: text/html; charset=utf-8`);
    expect(article).toContain("# Foxes of the north");
    expect(article).toContain("The arctic fox lives in the far north");
    expect(article).not.toContain("NAVIGATION-MENU-TEXT");
    expect(article).not.toContain("BUY-NOW-ADVERTISEMENT");
    expect(refused).toContain(`fetch_url refused ${inside.url}: 127.0.0.2 is a loopback address`);
    expect(refused).toContain('adding "127.0.0.2" to web.allowHosts');
    expect(inside.hits).toEqual([]);
    expect(site.hits.sort()).toEqual(["/foxes", "/leave"]);
  });
});
