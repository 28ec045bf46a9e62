import { describe, expect, it } from "vitest";
import { mcpToolName } from "../../../src/server/mcp/mcp-tool-name.ts";

describe("mcpToolName", () => {
  it("keeps a name that already fits the MCP rule", () => {
    expect(mcpToolName("code-reviewer.v2", new Set(["run_agent"]))).toBe("code-reviewer.v2");
  });

  it("replaces characters outside A-Z, a-z, 0-9, _, - and . and cuts at 128", () => {
    expect(mcpToolName("写作 agent/1", new Set())).toBe("___agent_1");
    expect(mcpToolName("a".repeat(200), new Set())).toHaveLength(128);
  });

  it("gives a taken name a numbered suffix, so two agents never share a tool", () => {
    expect(mcpToolName("run_agent", new Set(["run_agent"]))).toBe("run_agent_2");
    expect(mcpToolName("a b", new Set(["a_b", "a_b_2"]))).toBe("a_b_3");
    expect(mcpToolName("b".repeat(128), new Set(["b".repeat(128)]))).toBe(`${"b".repeat(126)}_2`);
  });
});
