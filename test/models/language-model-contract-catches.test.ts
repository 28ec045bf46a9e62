import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { ScriptedModel } from "../../src/testing/index.ts";
import { contractChecks } from "./language-model-contract.ts";

/** A model that answers as scripted but never looks at the abort signal: the fault the contract must catch. */
function signalIgnoring(model: ScriptedModel): LanguageModelV3 {
  const withoutSignal = ({ abortSignal: _ignored, ...rest }: LanguageModelV3CallOptions) => rest;
  return {
    specificationVersion: "v3",
    provider: "signal-ignoring",
    modelId: "signal-ignoring",
    supportedUrls: {},
    doGenerate: (options) => model.doGenerate(withoutSignal(options)),
    doStream: (options) => model.doStream(withoutSignal(options)),
  };
}

describe("the model contract's abort checks catch a model that ignores the signal", () => {
  it("fails doStream called with an aborted signal that still streams to the finish", async () => {
    const ignoring = signalIgnoring(new ScriptedModel([{ text: "Hello." }]));
    await expect(contractChecks.stopsAbortedStream(ignoring)).rejects.toThrow(/an aborted stream must not finish/);
  });

  it("fails doGenerate called with an aborted signal that still answers", async () => {
    const ignoring = signalIgnoring(new ScriptedModel([{ text: "Hello." }]));
    await expect(contractChecks.rejectsAbortedGenerate(ignoring)).rejects.toThrow(/must reject/);
  });

  it("passes the same checks for ScriptedModel itself", async () => {
    await contractChecks.stopsAbortedStream(new ScriptedModel([{ text: "Hello." }]));
    await contractChecks.rejectsAbortedGenerate(new ScriptedModel([{ text: "Hello." }]));
  });
});

describe("ScriptedModel and an abort during the stream", () => {
  it("ends the stream with the abort reason at the next read, with no finish part", async () => {
    const controller = new AbortController();
    const model = new ScriptedModel([{ reasoning: "Thinking.", text: "Hello." }]);
    const { stream } = await model.doStream({
      prompt: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
      abortSignal: controller.signal,
    });
    const reader = stream.getReader();
    const parts: LanguageModelV3StreamPart[] = [(await reader.read()).value!, (await reader.read()).value!];
    const reason = new Error("the user pressed Ctrl-C");
    controller.abort(reason);
    for (let next = await reader.read(); !next.done; next = await reader.read()) parts.push(next.value);
    expect(parts.map((part) => part.type)).toEqual(["stream-start", "reasoning-start", "error"]);
    expect(parts.at(-1)).toEqual({ type: "error", error: reason });
    model.assertFinished();
  });
});
