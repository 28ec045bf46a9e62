import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";

export interface ContractSubject {
  model: LanguageModelV3;
  cleanup: () => Promise<void>;
}

const userPrompt = (text: string): LanguageModelV3CallOptions["prompt"] => [
  { role: "system", content: "You are terse." },
  { role: "user", content: [{ type: "text", text }] },
];

const lookupTool = {
  type: "function" as const,
  name: "lookup_city",
  description: "Look up a city by name",
  inputSchema: {
    type: "object",
    // Bounded so a random-weights local model, constrained by a grammar, still closes the string within the limit.
    properties: { name: { type: "string", maxLength: 32 }, limit: { type: "integer" } },
    required: ["name", "limit"],
    additionalProperties: false,
  },
};

async function collect(stream: ReadableStream<LanguageModelV3StreamPart>) {
  const parts: LanguageModelV3StreamPart[] = [];
  const reader = stream.getReader();
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  return parts;
}

/** Passes when `outcome` is a rejection or an error part carrying the abort's reason (or any AbortError). */
function expectAbortReason(error: unknown, reason: Error) {
  expect(error === reason || (error instanceof Error && error.name === "AbortError"), String(error)).toBe(true);
}

const abortedSignal = (reason: Error) => {
  const controller = new AbortController();
  controller.abort(reason);
  return controller.signal;
};

/**
 * What the agent loop relies on from every model, remote, embedded or scripted: a well-formed stream,
 * one finish part with usage, the same answer shape from doGenerate, tool calls whose input parses, and an
 * aborted call that stops. Each check throws when the model breaks it, so a test can prove a check catches a fault.
 */
export const contractChecks = {
  async streamsText(model: LanguageModelV3) {
    const { stream } = await model.doStream({ prompt: userPrompt("Say hello."), maxOutputTokens: 16 });
    const parts = await collect(stream);
    expect(parts[0]?.type).toBe("stream-start");
    const finishes = parts.filter((part) => part.type === "finish");
    expect(finishes).toHaveLength(1);
    expect(parts.at(-1)?.type).toBe("finish");
    const finish = finishes[0]!;
    if (finish.type !== "finish") throw new Error("unreachable");
    expect(finish.usage.inputTokens.total).toBeGreaterThan(0);
    expect(finish.usage.outputTokens.total).toBeGreaterThan(0);
    expect(parts.some((part) => part.type === "error")).toBe(false);
    const open = new Set<string>();
    for (const part of parts) {
      if (part.type === "text-start") open.add(part.id);
      if (part.type === "text-delta") expect(open.has(part.id)).toBe(true);
      if (part.type === "text-end") open.delete(part.id);
    }
    expect(open.size).toBe(0);
  },

  async generatesText(model: LanguageModelV3) {
    const result = await model.doGenerate({ prompt: userPrompt("Say hello."), maxOutputTokens: 16 });
    expect(result.content.some((part) => part.type === "text")).toBe(true);
    expect(["stop", "length", "other"]).toContain(result.finishReason.unified);
    expect(result.usage.outputTokens.total).toBeGreaterThan(0);
  },

  async callsRequiredTool(model: LanguageModelV3) {
    const { stream } = await model.doStream({
      prompt: userPrompt("Look up Hangzhou, at most 3 results."),
      tools: [lookupTool],
      toolChoice: { type: "required" },
      maxOutputTokens: 64,
    });
    const parts = await collect(stream);
    const call = parts.find((part) => part.type === "tool-call");
    expect(call).toBeDefined();
    if (call?.type !== "tool-call") throw new Error("unreachable");
    expect(call.toolName).toBe("lookup_city");
    const input = JSON.parse(call.input);
    expect(typeof input.name).toBe("string");
    expect(Number.isInteger(input.limit)).toBe(true);
  },

  async stopsAbortedStream(model: LanguageModelV3) {
    const reason = new Error("stop");
    const signal = abortedSignal(reason);
    const outcome = await model
      .doStream({ prompt: userPrompt("Say hello."), maxOutputTokens: 16, abortSignal: signal })
      .then(
        async ({ stream }) => {
          const parts = await collect(stream);
          const failure = parts.find((part) => part.type === "error");
          expect(
            parts.some((part) => part.type === "finish"),
            "an aborted stream must not finish",
          ).toBe(false);
          return failure?.type === "error" ? { error: failure.error } : undefined;
        },
        (error: unknown) => ({ error }),
      );
    expect(outcome, "an aborted doStream must reject or end with an error part").toBeDefined();
    expectAbortReason(outcome?.error, reason);
  },

  async rejectsAbortedGenerate(model: LanguageModelV3) {
    const reason = new Error("stop");
    const signal = abortedSignal(reason);
    const outcome = await model
      .doGenerate({ prompt: userPrompt("Say hello."), maxOutputTokens: 16, abortSignal: signal })
      .then(
        () => undefined,
        (error: unknown) => ({ error }),
      );
    expect(outcome, "an aborted doGenerate must reject").toBeDefined();
    expectAbortReason(outcome?.error, reason);
  },
};

export type ContractScenario = "text" | "tool-call" | "abort";

export function languageModelContract(name: string, subject: (scenario: ContractScenario) => Promise<ContractSubject>) {
  const check = (scenario: ContractScenario, run: (model: LanguageModelV3) => Promise<void>) => async () => {
    const { model, cleanup } = await subject(scenario);
    try {
      await run(model);
    } finally {
      await cleanup();
    }
  };
  describe(`LanguageModelV3 contract: ${name}`, () => {
    it(
      "streams text in well-formed parts and ends with one finish part carrying usage",
      check("text", contractChecks.streamsText),
    );
    it("answers doGenerate with content, a finish reason and usage", check("text", contractChecks.generatesText));
    it(
      "emits a tool call whose input parses and has the required fields when a tool is required",
      check("tool-call", contractChecks.callsRequiredTool),
    );
    it(
      "rejects, or ends the stream with an error and no finish, when doStream is called aborted",
      check("abort", contractChecks.stopsAbortedStream),
    );
    it(
      "rejects with the abort reason when doGenerate is called aborted",
      check("abort", contractChecks.rejectsAbortedGenerate),
    );
  });
}
