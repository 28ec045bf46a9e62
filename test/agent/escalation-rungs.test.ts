import { describe, expect, it } from "vitest";
import { ladderRungs } from "../../src/agent/escalation/rung.ts";

const ladder = [
  { model: "flash", canThink: true },
  { model: "local", canThink: false },
  { model: "pro", canThink: true },
];

describe("ladderRungs", () => {
  it("gives each model a non-thinking rung, then a thinking one when the catalog says it can think", () => {
    expect(ladderRungs(ladder, "auto")).toEqual({
      rungs: [
        { model: "flash", thinking: false },
        { model: "flash", thinking: true },
        { model: "local", thinking: false },
        { model: "pro", thinking: false },
        { model: "pro", thinking: true },
      ],
      start: 0,
    });
  });

  it("starts at the first thinking rung with --thinking on, and keeps only non-thinking rungs with off", () => {
    expect(ladderRungs(ladder, "on").start).toBe(1);
    expect(ladderRungs([{ model: "local", canThink: false }, ...ladder], "on").start).toBe(2);
    expect(ladderRungs(ladder, "off").rungs).toEqual([
      { model: "flash", thinking: false },
      { model: "local", thinking: false },
      { model: "pro", thinking: false },
    ]);
  });
});
