import { UnsupportedFunctionalityError } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { convertPrompt } from "../../../src/models/embedded/convert-prompt.ts";

describe("convertPrompt", () => {
  it("writes tool calls as the JSON the model is asked for, and results as user messages", () => {
    const history = convertPrompt(
      [
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
      ],
      "# Tools ...",
    );
    expect(history).toEqual([
      { type: "system", text: "Be brief.\n\n# Tools ..." },
      { type: "user", text: "Read a.txt" },
      { type: "model", response: ['Reading.\n{"name":"read_file","arguments":{"path":"a.txt"}}'] },
      { type: "user", text: "Result of read_file:\nhello" },
      { type: "model", response: [] },
    ]);
  });

  it("adds a system message for the tools when there is none, and merges adjacent user messages", () => {
    const history = convertPrompt(
      [
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
      ],
      "# Tools",
    );
    expect(history).toEqual([
      { type: "system", text: "# Tools" },
      { type: "user", text: "run failed:\nexit 1\n\nTry again" },
      { type: "model", response: [] },
    ]);
  });

  it("continues a prompt that ends with the assistant's own words", () => {
    const history = convertPrompt(
      [
        { role: "user", content: [{ type: "text", text: "Hi" }] },
        { role: "assistant", content: [{ type: "text", text: "Hello" }] },
      ],
      undefined,
    );
    expect(history.at(-1)).toEqual({ type: "model", response: ["Hello"] });
  });

  it("refuses files", () => {
    expect(() =>
      convertPrompt([{ role: "user", content: [{ type: "file", mediaType: "image/png", data: "AAAA" }] }], undefined),
    ).toThrow(UnsupportedFunctionalityError);
  });
});
