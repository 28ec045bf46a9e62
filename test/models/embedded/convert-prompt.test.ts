import { UnsupportedFunctionalityError } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { convertPrompt } from "../../../src/models/embedded/convert-prompt.ts";

describe("convertPrompt", () => {
  it("turns tool calls and their results into function-call items of the model's turn", () => {
    const history = convertPrompt([
      { role: "system", content: "Be brief." },
      { role: "user", content: [{ type: "text", text: "Read a.txt" }] },
      {
        role: "assistant",
        content: [
          { type: "reasoning", text: "I should read it." },
          { type: "text", text: "Reading." },
          { type: "tool-call", toolCallId: "c1", toolName: "read_file", input: { path: "a.txt" } },
        ],
      },
      {
        role: "tool",
        content: [
          { type: "tool-result", toolCallId: "c1", toolName: "read_file", output: { type: "text", value: "hello" } },
        ],
      },
    ]);
    expect(history).toEqual([
      { type: "system", text: "Be brief." },
      { type: "user", text: "Read a.txt" },
      {
        type: "model",
        response: [
          "Reading.",
          { type: "functionCall", name: "read_file", params: { path: "a.txt" }, result: "hello", startsNewChunk: true },
        ],
      },
    ]);
  });

  it("keeps a result whose call is not in the history as user text, merged with the next user message", () => {
    const history = convertPrompt([
      {
        role: "tool",
        content: [
          {
            type: "tool-result",
            toolCallId: "c1",
            toolName: "run",
            output: { type: "error-text", value: "exit 1" },
          },
        ],
      },
      { role: "user", content: [{ type: "text", text: "Try again" }] },
    ]);
    expect(history).toEqual([
      { type: "user", text: "Result of run:\nrun failed: exit 1\n\nTry again" },
      { type: "model", response: [] },
    ]);
  });

  it("continues a prompt that ends with the assistant's own words", () => {
    const history = convertPrompt([
      { role: "user", content: [{ type: "text", text: "Hi" }] },
      { role: "assistant", content: [{ type: "text", text: "Hello" }] },
    ]);
    expect(history.at(-1)).toEqual({ type: "model", response: ["Hello"] });
  });

  it("refuses files", () => {
    expect(() =>
      convertPrompt([{ role: "user", content: [{ type: "file", mediaType: "image/png", data: "AAAA" }] }]),
    ).toThrow(UnsupportedFunctionalityError);
  });
});
