import { afterEach, describe, expect, it } from "vitest";
import { toolResultsIn } from "../../../src/testing/index.ts";
import { openMcpSession } from "../../../src/tools/mcp/mcp-session.ts";
import { waitFor } from "../../support/cli-process.ts";
import { startHttpMcpServer } from "./http-mcp-server.ts";
import { mcpHarness } from "./mcp-harness.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("a streamable HTTP MCP server on 127.0.0.1 (issue 10)", () => {
  it("sends the configured headers, runs its tools, and gives a thrown error to the model as a tool error", async () => {
    const server = await startHttpMcpServer();
    cleanups.push(() => server.close());
    const harness = await mcpHarness(
      [
        {
          toolCalls: [
            { name: "notes__note", input: { text: "first" } },
            { name: "notes__fail", input: {} },
          ],
        },
        { text: "noted" },
      ],
      () => ({ notes: { url: server.url, headers: { "x-team-token": "team-secret" } } }),
    );
    cleanups.push(() => harness.cleanup());
    const note = harness.runtime.tools.get("notes__note")!;
    expect(note).toMatchObject({ description: "Keeps a note.\nSecond line.", needsApproval: true, readOnly: false });
    expect(note.idempotent).toBe(false);
    const run = await harness.run({ approval: "auto" });
    expect(run.status).toBe("succeeded");
    expect(server.notes).toEqual(["first"]);
    const [kept, failed] = toolResultsIn(harness.model.calls[1]!);
    expect(kept).toMatchObject({ output: "kept note 1", isError: false });
    expect(failed).toMatchObject({ isError: true });
    expect(failed!.output).toContain('MCP server "notes" reported an error from fail');
    expect(failed!.output).toContain("the notes database is locked");
    expect(server.headersSeen.every((headers) => headers["x-team-token"] === "team-secret")).toBe(true);
  });

  it("re-reads its tools on notifications/tools/list_changed: a removed tool answers with why", async () => {
    const server = await startHttpMcpServer();
    cleanups.push(() => server.close());
    const session = await openMcpSession({ notes: { url: server.url, trusted: true } }, ["notes"]);
    cleanups.push(() => session.close());
    const [connection] = session.connections;
    expect(connection!.tools.map((tool) => tool.name)).toEqual(["note", "fail"]);

    server.addTool("summarize");
    await waitFor(() => connection!.tool("summarize") !== undefined, 5000);
    server.removeTool("note");
    await waitFor(() => connection!.tool("note") === undefined, 5000);

    const note = session.tools.find((tool) => tool.name === "notes__note")!;
    const context = { signal: new AbortController().signal, warn: () => {} } as never;
    await expect(note.execute({ text: "late" }, context)).rejects.toThrow(
      'MCP server "notes" no longer offers the tool "note" (its tool list changed).',
    );
    expect(server.notes).toEqual([]);
  });
});
