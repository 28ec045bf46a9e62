import { LlamaChat, resolveChatWrapper } from "node-llama-cpp";
import { GenerationClock } from "../../src/models/embedded/generation-clock.ts";
import { llamaRuntime } from "../../src/models/embedded/llama-runtime.ts";
import type { BenchSettings, Rates } from "./tansuo-runner.ts";

/** node-llama-cpp's own LlamaChat on the same GGUF, threads and context, timed the same way as Tansuo's provider. */
export async function openNativeRunner(settings: BenchSettings) {
  const llama = await llamaRuntime(false);
  const model = await llama.loadModel({ modelPath: settings.modelPath });
  const context = await model.createContext({
    contextSize: settings.contextSize,
    threads: settings.threads,
    sequences: 1,
  });
  const sequence = context.getSequence();
  const chat = new LlamaChat({ contextSequence: sequence, chatWrapper: resolveChatWrapper(model) });
  return {
    async generate(prompt: string): Promise<Rates> {
      const before = sequence.tokenMeter.getState();
      const clock = new GenerationClock();
      await chat.generateResponse(
        [
          { type: "user", text: prompt },
          { type: "model", response: [] },
        ],
        {
          maxTokens: settings.maxTokens,
          seed: 1,
          onToken: () => clock.tokenArrived(),
          // Streamed, as Tansuo streams every answer to the agent loop.
          onTextChunk: () => undefined,
        },
      );
      const after = sequence.tokenMeter.getState();
      const rates = clock.rates(
        after.usedInputTokens - before.usedInputTokens,
        after.usedOutputTokens - before.usedOutputTokens,
      );
      return { prompt: rates.promptTokensPerSecond, generation: rates.generationTokensPerSecond };
    },
    async close() {
      chat.dispose({ disposeSequence: true });
      await context.dispose();
      await model.dispose();
    },
  };
}
