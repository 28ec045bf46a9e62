import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { invokeTool } from "../../src/tools/invoke-tool.ts";
import { defaultToolPolicy, defineTool, type ToolContext } from "../../src/tools/tool.ts";
import { Workspace } from "../../src/tools/workspace.ts";
import { tinyPng } from "../support/tiny-images.ts";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function context(secrets: string[]): ToolContext {
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-tool-images-"));
  folders.push(folder);
  return {
    workspace: new Workspace(folder),
    signal: new AbortController().signal,
    policy: { ...defaultToolPolicy(), secrets },
    warn: () => {},
    vision: true,
  };
}

describe("a tool that returns text with images", () => {
  it("has its text redacted and truncated, and its images passed on untouched", async () => {
    const secret = "sk-live-abcdef0123456789";
    const image = { mediaType: "image/png", base64: tinyPng().toString("base64") };
    const screenshot = defineTool({
      name: "screenshot",
      description: "Takes a screenshot",
      inputSchema: z.object({}),
      needsApproval: false,
      readOnly: true,
      execute: async () => ({ text: `key ${secret} ${"x".repeat(30_000)}`, images: [image] }),
    });
    const outcome = await invokeTool(screenshot, "{}", context([secret]));
    expect(outcome.isError).toBe(false);
    expect(outcome.output).not.toContain(secret);
    expect(outcome.output.length).toBeLessThan(21_000);
    expect(outcome.output).toContain("characters omitted");
    expect(outcome.images).toEqual([image]);
  });

  it("returns no images for a plain-text tool", async () => {
    const echo = defineTool({
      name: "echo",
      description: "Echoes",
      inputSchema: z.object({ text: z.string() }),
      needsApproval: false,
      readOnly: true,
      execute: async (input: { text: string }) => input.text,
    });
    expect(await invokeTool(echo, '{"text":"hi"}', context([]))).toEqual({ output: "hi", isError: false });
  });
});
