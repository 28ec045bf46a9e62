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

/**
 * What the agent loop relies on from every model, remote, embedded or scripted: a well-formed stream,
 * one finish part with usage, the same answer shape from doGenerate, and tool calls whose input parses.
 */
export type ContractScenario = "text" | "tool-call" | "abort";

export function languageModelContract(name: string, subject: (scenario: ContractScenario) => Promise<ContractSubject>) {
  describe(`LanguageModelV3 contract: ${name}`, () => {
    it("streams text in well-formed parts and ends with one finish part carrying usage", async () => {
      const { model, cleanup } = await subject("text");
      try {
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
      } finally {
        await cleanup();
      }
    });

    it("answers doGenerate with content, a finish reason and usage", async () => {
      const { model, cleanup } = await subject("text");
      try {
        const result = await model.doGenerate({ prompt: userPrompt("Say hello."), maxOutputTokens: 16 });
        expect(result.content.some((part) => part.type === "text")).toBe(true);
        expect(["stop", "length", "other"]).toContain(result.finishReason.unified);
        expect(result.usage.outputTokens.total).toBeGreaterThan(0);
      } finally {
        await cleanup();
      }
    });

    it("emits a tool call whose input parses and has the required fields when a tool is required", async () => {
      const { model, cleanup } = await subject("tool-call");
      try {
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
      } finally {
        await cleanup();
      }
    });

    it("rejects or ends with an error when the call is aborted", async () => {
      const { model, cleanup } = await subject("abort");
      try {
        const controller = new AbortController();
        controller.abort(new Error("stop"));
        const outcome = await Promise.resolve(
          model
            .doStream({ prompt: userPrompt("Say hello."), maxOutputTokens: 16, abortSignal: controller.signal })
            .then(async ({ stream }) => (await collect(stream)).some((part) => part.type === "error")),
        ).catch(() => true);
        expect(outcome).toBe(true);
      } finally {
        await cleanup();
      }
    });
  });
}
