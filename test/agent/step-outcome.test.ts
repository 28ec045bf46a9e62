import { describe, expect, it } from "vitest";
import { stepOutcome } from "../../src/agent/step-outcome.ts";

const said = (text: string) => ({ text, toolCalls: [] });

describe("stepOutcome at the output limit", () => {
  for (const finishReason of ["length", "maxTokens", "max_tokens"]) {
    it(`says a step that finished with ${finishReason} was cut, not that it answered without a tool`, () => {
      expect(stepOutcome(said(""), finishReason, [], false)).toEqual({
        kind: "ask-again",
        warning: "the answer was cut at the output limit before a complete tool call or answer",
      });
      expect(stepOutcome(said("partial"), finishReason, [], false)).toEqual({
        kind: "succeeded",
        output: "partial",
        warning: "the answer was cut at the output limit",
      });
      expect(stepOutcome(said(""), finishReason, [], true)).toEqual({
        kind: "ask-again",
        warning: "the answer was cut at the output limit before a complete tool call or answer",
      });
    });
  }

  it("still asks again when a required tool was not called and nothing was cut", () => {
    expect(stepOutcome(said("hi"), "stop", [], true)).toEqual({
      kind: "ask-again",
      warning: "the model answered without calling a tool; asking again",
    });
  });
});
