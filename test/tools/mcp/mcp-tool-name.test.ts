import { describe, expect, it } from "vitest";
import { mcpToolName } from "../../../src/tools/mcp/mcp-tool-name.ts";

describe("MCP tool names in the registry (issue 10)", () => {
  it("is <server>__<tool> when that fits the 64-character function-name rule", () => {
    expect(mcpToolName("fs", "read_text_file")).toBe("fs__read_text_file");
    expect(mcpToolName("every", "get-tiny-image")).toBe("every__get-tiny-image");
  });

  it("cuts a long name to 64 characters ending in a hash, the same each time and unique per tool", () => {
    const long = `${"x".repeat(70)}_one`;
    const other = `${"x".repeat(70)}_two`;
    const name = mcpToolName("server-with-a-long-name", long);
    expect(name).toHaveLength(64);
    expect(name).toMatch(/^server-with-a-long-name__x+_[0-9a-f]{8}$/);
    expect(mcpToolName("server-with-a-long-name", long)).toBe(name);
    expect(mcpToolName("server-with-a-long-name", other)).not.toBe(name);
  });

  it("replaces characters a function name may not hold and adds a hash, so a.b and a_b stay apart", () => {
    const dotted = mcpToolName("srv", "files.read");
    expect(dotted).toMatch(/^srv__files_read_[0-9a-f]{8}$/);
    expect(mcpToolName("srv", "files_read")).toBe("srv__files_read");
  });
});
