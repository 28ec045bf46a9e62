import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type McpSession, openMcpSession } from "../../../src/tools/mcp/mcp-session.ts";

const fixture = path.resolve(import.meta.dirname, "../../fixtures/misbehaving-mcp-server.mjs");
const server = (mode: string) => ({ command: process.execPath, args: [fixture, mode], trusted: true });
const sessions: McpSession[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) await session.close();
});
async function open(configured: Parameters<typeof openMcpSession>[0], options?: Parameters<typeof openMcpSession>[2]) {
  const session = await openMcpSession(configured, Object.keys(configured), options);
  sessions.push(session);
  return session;
}
const context = () => ({ signal: new AbortController().signal, warn: () => {}, vision: false }) as never;

describe("MCP servers that misbehave (issue 10 hostile pass)", () => {
  it("drops a tool listed twice, a taken name and oversized or too deep schemas with warnings; cuts a long description", async () => {
    const session = await open({ h: server("listing") }, { takenNames: ["h__flood"] });
    expect(session.failures).toEqual([]);
    expect(session.tools.map((tool) => tool.name)).toEqual(["h__dup", "h__long", "h__listings"]);
    expect(session.tools[0]!.description).toBe("first dup");
    const long = session.tools[1]!.description;
    expect(long).toBe(`${"L".repeat(2_048)} [description cut at 2048 of 3000 characters]`);
    expect(session.warnings).toEqual([
      'MCP server "h" lists the tool "dup" twice; the later one is left out.',
      expect.stringMatching(
        /^MCP server "h"'s tool "wide" is left out: its input schema is \d+ bytes, over the 65536-byte limit\.$/,
      ),
      'MCP server "h"\'s tool "deep" is left out: its input schema nests deeper than 64 levels.',
      'MCP server "h"\'s tool "flood" is left out: the name h__flood is already taken.',
    ]);
  });

  it("reports a server whose tools/list cursor never ends as not started, quickly", async () => {
    const started = Date.now();
    const session = await open({ endless: server("endless-cursor") });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(session.tools).toEqual([]);
    expect(session.failures).toHaveLength(1);
    expect(session.failures[0]!.message).toContain(
      'MCP server "endless" did not start: its tool list goes on past 50 pages (tools/list keeps giving a nextCursor)',
    );
  });

  it("re-reads the tool list a few times, not 5,000, for a flood of 5,000 list_changed notifications, and calls still answer", async () => {
    const session = await open({ h: server("listing") });
    const tool = (name: string) => session.tools.find((candidate) => candidate.name === name)!;
    await tool("h__flood").execute({}, context());
    const started = Date.now();
    const answer = await tool("h__dup").execute({}, context());
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(JSON.stringify(answer)).toContain("called dup");
    // Let the notifications land, then ask how many listings the server answered: the first, plus a few re-reads.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const listings = Number(JSON.stringify(await tool("h__listings").execute({}, context())).match(/\d+/)?.[0]);
    expect(listings).toBeGreaterThanOrEqual(1);
    expect(listings).toBeLessThanOrEqual(5);
  }, 20_000);
});
