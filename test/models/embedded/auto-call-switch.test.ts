import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedSession, openSession } from "../../../src/models/embedded/embedded-session.ts";
import { generateAnswer } from "../../../src/models/embedded/generate-answer.ts";
import { planCall } from "../../../src/models/embedded/plan-call.ts";
import { tinyModelPath } from "../../support/tiny-model.ts";

const options: LanguageModelV3CallOptions = {
  prompt: [{ role: "user", content: [{ type: "text", text: "Read a file." }] }],
  tools: [
    {
      type: "function",
      name: "read_file",
      description: "Reads a file",
      inputSchema: { type: "object", properties: { path: { type: "string", maxLength: 8 } }, required: ["path"] },
    },
  ],
  toolChoice: { type: "auto" },
  maxOutputTokens: 120,
  temperature: 0,
};

async function answer(session: EmbeddedSession, trigger?: string): Promise<LanguageModelV3StreamPart[]> {
  const plan = planCall(options, session.model, session.chatWrapper, session.context.contextSize);
  if (trigger !== undefined && plan.tools) plan.tools.syntax = { ...plan.tools.syntax, trigger };
  const parts: LanguageModelV3StreamPart[] = [];
  await generateAnswer(session, plan, undefined, options, new AbortController().signal, (part) => parts.push(part));
  return parts;
}

const textOf = (parts: LanguageModelV3StreamPart[]) =>
  parts.map((part) => (part.type === "text-delta" ? part.delta : "")).join("");

// Random weights never write Qwen's `<tool_call>` on their own, so the test names as the call marker a few
// characters this model is seen to write greedily: reaching them must switch generation to the call grammar.
describe("auto tool choice on the tiny GGUF (Qwen wrapper)", () => {
  let session: EmbeddedSession;
  beforeAll(async () => {
    session = await openSession({
      modelPath: tinyModelPath,
      contextSize: 2048,
      gpu: false,
      threads: 1,
      chatWrapper: "qwen",
    });
  });
  afterAll(async () => {
    await session.close();
  });

  it("writes text until the call marker, then a whole call under the grammar", async () => {
    const free = await answer(session);
    const freeText = textOf(free);
    expect(
      free.some((part) => part.type === "tool-call"),
      "random weights opened a call unprompted",
    ).toBe(false);
    const marker = freeText.trim().slice(0, 3);
    expect(marker.length, `the free answer: ${JSON.stringify(freeText)}`).toBe(3);

    const parts = await answer(session, marker);
    const calls = parts.filter((part) => part.type === "tool-call");
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.toolName).toBe("read_file");
      const input = JSON.parse(call.input) as { path: unknown };
      expect(typeof input.path).toBe("string");
      expect((input.path as string).length).toBeLessThanOrEqual(8);
    }
    // The text before the marker still reached the caller; the marker itself is part of the call, not text.
    expect(freeText.startsWith(textOf(parts))).toBe(true);
    expect(textOf(parts)).not.toContain(marker);
    const finish = parts.at(-1);
    expect(finish?.type === "finish" && finish.finishReason.unified).toBe("tool-calls");
  });
});
