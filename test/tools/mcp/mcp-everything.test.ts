import { afterEach, describe, expect, it } from "vitest";
import { toolResultsIn } from "../../../src/testing/index.ts";
import { binary, mcpHarness } from "./mcp-harness.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const everything = { command: binary("mcp-server-everything"), trusted: true };
const longOperation = { name: "every__trigger-long-running-operation", input: { duration: 20, steps: 20 } };

describe("the everything MCP server over stdio (issue 10)", () => {
  it("passes on text, images as a note, embedded resources and a server's error result", async () => {
    const harness = await mcpHarness(
      [
        {
          toolCalls: [
            { name: "every__echo", input: { message: "ni hao" } },
            { name: "every__get-tiny-image", input: {} },
            { name: "every__get-resource-reference", input: { resourceType: "Text", resourceId: 2 } },
            { name: "every__get-resource-reference", input: { resourceType: "Text", resourceId: 0 } },
          ],
        },
        { text: "done" },
      ],
      () => ({ every: everything }),
    );
    cleanups.push(() => harness.cleanup());
    const run = await harness.run();
    expect(run.status).toBe("succeeded");
    const [echo, image, resource, failed] = toolResultsIn(harness.model.calls[1]!);
    expect(echo).toMatchObject({ toolName: "every__echo", isError: false, output: "Echo: ni hao" });
    expect(image!.isError).toBe(false);
    expect(image!.output).toMatch(/^\[image image\/png, \d+ KB from every\]$/m);
    expect(resource!.isError).toBe(false);
    expect(resource!.output).toMatch(/\[resource demo:\/\/resource\/dynamic\/text\/2 text\/plain\]\n.+/);
    expect(failed).toMatchObject({ isError: true });
    expect(failed!.output).toContain('MCP server "every" reported an error from get-resource-reference');
    expect(failed!.output).toContain("Invalid resourceId: 0");
    harness.model.assertFinished();
  });

  it("gives a vision model the server's image itself, checked by content, and keeps it for resume", async () => {
    const harness = await mcpHarness(
      [{ toolCalls: [{ name: "every__get-tiny-image", input: {} }] }, { text: "seen" }],
      () => ({ every: everything }),
      { vision: true },
    );
    cleanups.push(() => harness.cleanup());
    const run = await harness.run();
    expect(run.status).toBe("succeeded");
    const toolMessage = harness.model.calls[1]!.prompt.find((message) => message.role === "tool")!;
    const result = toolMessage.content.find((part) => part.type === "tool-result")!;
    expect(result.output.type).toBe("content");
    const parts = result.output.type === "content" ? result.output.value : [];
    const image = parts.find((part) => part.type === "image-data");
    expect(image).toMatchObject({ mediaType: "image/png" });
    // The bytes are a PNG (signature 89 50 4E 47), passed on as the server sent them.
    const bytes = Buffer.from((image as { data: string }).data, "base64");
    expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const [stored] = await harness.store.listToolCalls(run.id);
    expect(stored!.outputImages?.[0]?.base64).toBe((image as { data: string }).data);
  });

  it("stops a call past timeoutSeconds with a tool error and a warning, and the run goes on", async () => {
    const harness = await mcpHarness(
      [
        { toolCalls: [longOperation] },
        { toolCalls: [{ name: "every__echo", input: { message: "still here" } }] },
        { text: "ok" },
      ],
      () => ({ every: { ...everything, timeoutSeconds: 1 } }),
    );
    cleanups.push(() => harness.cleanup());
    const started = Date.now();
    const run = await harness.run();
    expect(Date.now() - started).toBeLessThan(8000);
    expect(run.status).toBe("succeeded");
    const [timedOut] = toolResultsIn(harness.model.calls[1]!);
    expect(timedOut).toMatchObject({ isError: true });
    expect(timedOut!.output).toContain(
      'MCP server "every" failed on trigger-long-running-operation: no answer within 1 s',
    );
    expect(toolResultsIn(harness.model.calls[2]!)[1]).toMatchObject({ output: "Echo: still here", isError: false });
    const warnings = harness.events.flatMap((event) => (event.type === "warning" ? [event.message] : []));
    expect(warnings.some((message) => message.includes("no answer within 1 s"))).toBe(true);
  });

  it("reports a server killed mid-call with its name, then restarts it once for the next call", async () => {
    const harness = await mcpHarness(
      [
        { toolCalls: [longOperation] },
        { toolCalls: [{ name: "every__echo", input: { message: "after the crash" } }] },
        { text: "recovered" },
      ],
      () => ({ every: everything }),
    );
    cleanups.push(() => harness.cleanup());
    const [connection] = harness.session.connections;
    const killedPid = connection!.pid;
    const run = await harness.run({
      onEvent: (event) => {
        if (event.type === "tool-call" && event.toolName === longOperation.name) {
          setTimeout(() => process.kill(killedPid!, "SIGKILL"), 300);
        }
      },
    });
    expect(run).toMatchObject({ status: "succeeded", output: "recovered" });
    const [died] = toolResultsIn(harness.model.calls[1]!);
    expect(died).toMatchObject({ isError: true });
    expect(died!.output).toContain('MCP server "every" failed on trigger-long-running-operation');
    expect(died!.output).toContain("closed the connection");
    expect(toolResultsIn(harness.model.calls[2]!)[1]).toMatchObject({
      output: "Echo: after the crash",
      isError: false,
    });
    expect(connection!.pid).not.toBe(killedPid);
    const warnings = harness.events.flatMap((event) => (event.type === "warning" ? [event.message] : []));
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining("closed the connection"),
        'MCP server "every" had stopped; Tansuo restarted it.',
      ]),
    );
  });

  it("runs without the tools of a server that does not start, keeping its error and stderr tail", async () => {
    const harness = await mcpHarness(
      [{ toolCalls: [{ name: "every__echo", input: { message: "hi" } }] }, { text: "ok" }],
      () => ({
        every: everything,
        missing: { command: "/nonexistent/mcp-server" },
        broken: { command: process.execPath, args: ["-e", "console.error('boom: no API token'); process.exit(3)"] },
      }),
    );
    cleanups.push(() => harness.cleanup());
    expect(harness.session.serverNames).toEqual(["every"]);
    const failures = Object.fromEntries(
      harness.session.failures.map((failure) => [failure.serverName, failure.message]),
    );
    expect(failures.missing).toBe('MCP server "missing" did not start: spawn /nonexistent/mcp-server ENOENT.');
    expect(failures.broken).toBe(
      'MCP server "broken" did not start: the server closed the connection (it exited or crashed).\n' +
        "Its stderr ended with:\nboom: no API token",
    );
    expect(harness.runtime.tools.names.some((name) => name.startsWith("broken__"))).toBe(false);
    expect((await harness.run()).status).toBe("succeeded");
  });

  it("redacts known secrets from a server's output and truncates it like a built-in tool's", async () => {
    const secret = "sk-mcp-echoed-secret-0099";
    const harness = await mcpHarness(
      [
        {
          toolCalls: [
            { name: "every__echo", input: { message: `key ${secret}` } },
            { name: "every__echo", input: { message: "a".repeat(30_000) } },
          ],
        },
        { text: "ok" },
      ],
      () => ({ every: everything }),
      { secrets: [secret] },
    );
    cleanups.push(() => harness.cleanup());
    expect((await harness.run()).status).toBe("succeeded");
    const [echoed, long] = toolResultsIn(harness.model.calls[1]!);
    expect(echoed!.output.startsWith("Echo: key ")).toBe(true);
    expect(echoed!.output).not.toContain(secret);
    expect(long!.output).toHaveLength(20_000 + "\n[... 10006 characters omitted ...]\n".length);
    expect(long!.output).toContain("[... 10006 characters omitted ...]");
    const stored = await harness.store.listToolCalls((await harness.store.listRuns({ limit: 1 }))[0]!.id);
    expect(stored.map((call) => call.output).join("")).not.toContain(secret);
  });
});
