import { describe, expect, it } from "vitest";
import { AgentToolConfigError, checkAgentTools } from "../../src/config/agent-tool-references.ts";
import type { AgentSettings } from "../../src/config/settings-schema.ts";

const agent = (...tools: string[]): AgentSettings => ({ instructions: "Work.", tools });

describe("agents.<name>.tools naming other agents (agent:<name>)", () => {
  it("accepts agents that call agents in a tree, and plain tool names beside them", () => {
    expect(() =>
      checkAgentTools({ lead: agent("read_file", "agent:a", "agent:b"), a: agent("agent:b"), b: agent("read_file") }),
    ).not.toThrow();
  });

  it("refuses an agent that does not exist, naming the entry", () => {
    expect(() => checkAgentTools({ lead: agent("agent:ghost") })).toThrow(
      'agents.lead.tools: "agent:ghost" names no configured agent',
    );
  });

  it("refuses a circle, however long, naming it", () => {
    const check = () => checkAgentTools({ a: agent("agent:b"), b: agent("agent:c"), c: agent("agent:a") });
    expect(check).toThrow(AgentToolConfigError);
    expect(check).toThrow("agents: a -> b -> c -> a call each other in a circle");
    expect(() => checkAgentTools({ self: agent("agent:self") })).toThrow("self -> self call each other in a circle");
  });

  it("refuses chains deeper than four levels", () => {
    const chain = { a: agent("agent:b"), b: agent("agent:c"), c: agent("agent:d"), d: agent("agent:e"), e: agent() };
    expect(() => checkAgentTools(chain)).not.toThrow();
    expect(() => checkAgentTools({ ...chain, e: agent("agent:f"), f: agent() })).toThrow(
      "agents: a -> b -> c -> d -> e -> f calls agents 5 levels deep; at most 4 are allowed",
    );
  });

  it("refuses an agent name that cannot be a tool name on the wire", () => {
    expect(() => checkAgentTools({ lead: agent("agent:code reviewer"), "code reviewer": agent() })).toThrow(
      '"agent:code reviewer": an agent used as a tool needs a name of letters, digits, _ or -',
    );
  });
});
