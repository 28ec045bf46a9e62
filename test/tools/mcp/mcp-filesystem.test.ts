import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Approver } from "../../../src/agent/index.ts";
import { toolResultsIn } from "../../../src/testing/index.ts";
import { binary, mcpHarness } from "./mcp-harness.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const filesystemServer = (trusted: boolean) => (workspace: string) => ({
  fs: { command: binary("mcp-server-filesystem"), args: [workspace], trusted },
});

async function writeThenRead(trusted: boolean) {
  const harness = await mcpHarness(
    (workspace) => [
      {
        toolCalls: [
          { name: "fs__write_file", input: { path: path.join(workspace, "notes.txt"), content: "hello from MCP\n" } },
        ],
        expect: (options) => {
          const tools = (options.tools ?? []).map((tool) => tool.name);
          expect(tools).toEqual(expect.arrayContaining(["read_file", "fs__read_text_file", "fs__write_file"]));
          const read = options.tools?.find((tool) => tool.name === "fs__read_text_file");
          expect(read).toMatchObject({ inputSchema: { type: "object", properties: { path: { type: "string" } } } });
          expect(JSON.stringify(read)).not.toContain("$schema");
        },
      },
      { toolCalls: [{ name: "fs__read_text_file", input: { path: path.join(workspace, "notes.txt") } }] },
      { text: "The file says hello." },
    ],
    filesystemServer(trusted),
  );
  cleanups.push(() => harness.cleanup());
  return { harness, notes: path.join(harness.workspace, "notes.txt") };
}

describe("the filesystem MCP server over stdio (issue 10)", () => {
  it("writes and reads a file through fs__ tools, asking before each call of an untrusted server", async () => {
    const { harness, notes } = await writeThenRead(false);
    const asked: string[] = [];
    const approver: Approver = async (request) => {
      asked.push(request.toolName);
      return "approve";
    };
    const run = await harness.run({ approval: "ask", approver });
    expect(run).toMatchObject({ status: "succeeded", output: "The file says hello." });
    expect(asked).toEqual(["fs__write_file", "fs__read_text_file"]);
    expect(readFileSync(notes, "utf8")).toBe("hello from MCP\n");
    const results = toolResultsIn(harness.model.calls[2]!);
    expect(results.map((result) => [result.toolName, result.isError])).toEqual([
      ["fs__write_file", false],
      ["fs__read_text_file", false],
    ]);
    expect(results[1]!.output).toBe("hello from MCP\n");
    const calls = await harness.store.listToolCalls(run.id);
    expect(calls.map((call) => [call.toolName, call.status])).toEqual([
      ["fs__write_file", "finished"],
      ["fs__read_text_file", "finished"],
    ]);
    expect(harness.events.filter((event) => event.type === "tool-result")).toHaveLength(2);
    expect((await harness.store.getRun(run.id))?.settings.mcpServers).toEqual(["fs"]);
    harness.model.assertFinished();
  });

  it("does not ask for a trusted server's tools", async () => {
    const { harness, notes } = await writeThenRead(true);
    const approver: Approver = async (request) => {
      throw new Error(`asked about ${request.toolName}`);
    };
    const run = await harness.run({ approval: "ask", approver });
    expect(run.status).toBe("succeeded");
    expect(readFileSync(notes, "utf8")).toBe("hello from MCP\n");
    harness.model.assertFinished();
  });

  it("refuses arguments that break the server's schema before the server sees them", async () => {
    const harness = await mcpHarness(
      [{ toolCalls: [{ name: "fs__read_text_file", input: { file: "x" } }] }, { text: "gave up" }],
      filesystemServer(true),
    );
    cleanups.push(() => harness.cleanup());
    const run = await harness.run();
    expect(run.status).toBe("succeeded");
    const [result] = toolResultsIn(harness.model.calls[1]!);
    expect(result).toMatchObject({ toolName: "fs__read_text_file", isError: true });
    expect(result!.output).toMatch(/^Invalid arguments for fs__read_text_file: .*path/);
  });
});
