import { rmSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayFixture, startGatewayFixture } from "../server/support/gateway-fixture.ts";
import { buildViewer, keepScreenshot, launchBrowser, seriousViolations } from "./support/browser.ts";

// The viewer in Debian's chromium against a real gateway on 127.0.0.1, whose agent calls a DeepSeek-format server.
const task = "Print viewer-approved-output with echo.";
let viewerDirectory: string;
let browser: Browser;
let fixture: GatewayFixture;
let context: BrowserContext;
let page: Page;
const outsideRequests: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  viewerDirectory = await buildViewer();
  browser = await launchBrowser();
  fixture = await startGatewayFixture({
    settings: {
      agents: {
        ops: {
          instructions: "Run the commands the task needs.",
          model: "deepseek-v4-flash",
          tools: ["run_command"],
          approval: "ask",
          budgetUsd: 1,
        },
      },
    },
    upstream: {
      script: [
        {
          reasoningContent: "The task wants an echo.",
          content: "I will run the echo.",
          toolCalls: [{ name: "run_command", arguments: { command: "echo viewer-approved-output" } }],
          usage: { promptTokens: 900, completionTokens: 30 },
        },
        {
          content: "The command printed viewer-approved-output.",
          usage: { promptTokens: 1000, cacheHitTokens: 896, completionTokens: 12 },
        },
      ],
    },
    gateway: { viewerDirectory },
  });
  // axe is injected as a script of its own, which the page's CSP (default-src 'self') would refuse.
  context = await browser.newContext({ bypassCSP: true, locale: "en-US", viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on("request", (request) => {
    if (!request.url().startsWith(fixture.server.url)) outsideRequests.push(request.url());
  });
  page.on("pageerror", (error) => pageErrors.push(error.message));
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await fixture?.close();
  if (viewerDirectory) rmSync(viewerDirectory, { recursive: true, force: true });
});

async function expectAccessible(where: string): Promise<void> {
  expect(await seriousViolations(page), `serious or critical axe violations on ${where}`).toEqual([]);
}

describe("the run viewer in a browser", () => {
  it("shows a run started through the API appear live, opens it, and an approval from the page lets it go on", async () => {
    await page.goto(`${fixture.server.url}/`);
    await page.getByRole("heading", { name: "Runs", level: 1 }).waitFor();
    await expectAccessible("the empty runs list");

    const created = await fetch(`${fixture.server.url}/v1/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ agent: "ops", task }),
    });
    expect(created.status).toBe(201);
    const run = (await created.json()) as { id: string };
    // No reload: the list follows the runs stream.
    const link = page.getByRole("link", { name: task });
    await link.waitFor({ timeout: 15_000 });
    // The row's status follows the run to awaiting_approval, also without a reload.
    await page
      .getByRole("row", { name: new RegExp(task.replace(/[.]/g, "\\.")) })
      .getByText("Awaiting approval")
      .waitFor({ timeout: 15_000 });
    await keepScreenshot(page, "runs-list");
    await expectAccessible("the runs list");

    await link.click();
    await page.waitForURL(`**/#/runs/${run.id}`);
    const approve = page.getByRole("button", { name: "Approve", exact: true });
    await approve.waitFor({ timeout: 15_000 });
    // The waiting call is shown with its arguments before anyone approves it.
    await page.getByText("echo viewer-approved-output").first().waitFor();
    const step = page.locator("details.step").first();
    if ((await step.getAttribute("open")) === null) await step.locator("summary").click();
    expect(await step.getAttribute("open")).not.toBeNull();
    await step.getByText("I will run the echo.").waitFor();
    await keepScreenshot(page, "run-page-waiting");
    await expectAccessible("a run waiting for approval");

    await approve.click();
    await page.getByText("The command printed viewer-approved-output.").first().waitFor({ timeout: 20_000 });
    await page.getByText("Succeeded").first().waitFor();
    await page.getByText(`the figures of \`tansuo cost compare ${run.id}\``).waitFor();
    await keepScreenshot(page, "run-page");
    await expectAccessible("a finished run");

    const stored = await fixture.store.getRun(run.id);
    expect(stored?.status).toBe("succeeded");
    const toolCalls = await fixture.store.listToolCalls(run.id);
    expect(toolCalls.map((call) => [call.toolName, call.status, call.output?.trim()])).toEqual([
      ["run_command", "finished", expect.stringContaining("viewer-approved-output")],
    ]);
  }, 90_000);

  it("switches language, keeps the choice across a reload, and sets the page's lang", async () => {
    await page.goto(`${fixture.server.url}/#/runs`);
    await page.getByLabel("Language").selectOption("zh-Hans");
    await page.getByRole("link", { name: "运行" }).waitFor();
    expect(await page.getAttribute("html", "lang")).toBe("zh-Hans");
    await page.reload();
    await page.getByRole("heading", { name: "运行", level: 1 }).waitFor();
    // Durations use the language's units too (the run above took about a second or two).
    await page.getByRole("cell", { name: /秒/ }).first().waitFor();
    await keepScreenshot(page, "runs-list-zh-hans");
    await expectAccessible("the runs list in Simplified Chinese");
    await page.getByLabel("语言").selectOption("zh-Hant");
    await page.getByRole("link", { name: "執行" }).waitFor();
    expect(await page.getAttribute("html", "lang")).toBe("zh-Hant");
    await page.getByLabel("語言").selectOption("en");
    await page.getByRole("link", { name: "Runs" }).waitFor();
  }, 60_000);

  it("draws the costs and evals pages with their pictures", async () => {
    await page.goto(`${fixture.server.url}/#/costs`);
    await page.getByRole("heading", { name: "Prices per 1M tokens" }).waitFor();
    // Spend from the run above (two billed calls), per day and per model, and the catalog's prices.
    await page.locator("canvas[role=img]").nth(2).waitFor();
    await page.getByRole("rowheader", { name: "deepseek-v4-flash" }).first().waitFor({ state: "attached" });
    // `tansuo cost --by run` as a table: the run above, linked, and the total row.
    await page.getByRole("heading", { name: "Per run or key" }).waitFor();
    await page.getByRole("rowheader", { name: "Total" }).waitFor();
    await page.getByRole("table", { name: "Per run or key" }).getByRole("link").first().waitFor();
    await keepScreenshot(page, "costs");
    await expectAccessible("the costs page");

    await page.goto(`${fixture.server.url}/#/evals`);
    await page.getByText("tansuo ui --evals").first().waitFor();
    await keepScreenshot(page, "evals-empty");
    await expectAccessible("the evals page");

    expect(outsideRequests, "requests to hosts other than the gateway").toEqual([]);
    expect(pageErrors, "errors thrown in the page").toEqual([]);
  }, 60_000);
});
