import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { AnswerSplitter } from "../../../src/models/embedded/answer-splitter.ts";
import { partsOf } from "./stream-parts.ts";

function split(chunks: string[], callsAllowed = true) {
  const parts: LanguageModelV3StreamPart[] = [];
  const splitter = new AnswerSplitter(callsAllowed, "call_1", (part) => parts.push(part));
  for (const chunk of chunks) splitter.text(chunk);
  const call = splitter.finish();
  return { parts, call };
}

const everySplit = (text: string) => [[text], [...text], text.match(/.{1,3}/gs) ?? [], text.match(/.{1,7}/gs) ?? []];

describe("AnswerSplitter", () => {
  it("streams a text answer without its leading blanks", () => {
    const { parts, call } = split([" \n", " Hello", ", world"]);
    expect(call).toBeUndefined();
    expect(parts).toEqual([
      { type: "text-start", id: "text-0" },
      { type: "text-delta", id: "text-0", delta: "Hello" },
      { type: "text-delta", id: "text-0", delta: ", world" },
      { type: "text-end", id: "text-0" },
    ]);
  });

  it("streams a call's arguments as deltas that add up to its input, however the text is chunked", () => {
    const text = '{"name": "read_file", "arguments": {"path": "a}b", "range": {"from": 1}} \n }';
    for (const chunks of everySplit(text)) {
      const { parts, call } = split(chunks);
      expect(call).toEqual({
        toolCallId: "call_1",
        toolName: "read_file",
        input: '{"path": "a}b", "range": {"from": 1}}',
      });
      expect(partsOf(parts, "tool-input-start")).toEqual([
        { type: "tool-input-start", id: "call_1", toolName: "read_file" },
      ]);
      const deltas = partsOf(parts, "tool-input-delta").map((part) => part.delta);
      expect(deltas.join("")).toBe(call?.input);
      expect(parts.at(-1)).toEqual({ type: "tool-input-end", id: "call_1" });
      expect(partsOf(parts, "text-delta")).toEqual([]);
    }
  });

  it("returns no call when the answer stopped inside it", () => {
    const { parts, call } = split(['{"name": "read_file", "arguments": {"path": "a']);
    expect(call).toBeUndefined();
    expect(parts.at(-1)).toEqual({ type: "tool-input-end", id: "call_1" });
  });

  it("treats JSON as text when calls are not allowed", () => {
    const { parts, call } = split(['{"a": 1}'], false);
    expect(call).toBeUndefined();
    expect(partsOf(parts, "text-delta").map((part) => part.delta)).toEqual(['{"a": 1}']);
  });

  it("closes reasoning before the text starts", () => {
    const parts: LanguageModelV3StreamPart[] = [];
    const splitter = new AnswerSplitter(false, "call_1", (part) => parts.push(part));
    splitter.reasoning("Let me think.");
    splitter.text("Done.");
    splitter.finish();
    expect(parts.map((part) => part.type)).toEqual([
      "reasoning-start",
      "reasoning-delta",
      "reasoning-end",
      "text-start",
      "text-delta",
      "text-end",
    ]);
  });
});
