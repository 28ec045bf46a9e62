import { createEmbeddedModel } from "../../src/models/embedded/index.ts";

export interface BenchSettings {
  modelPath: string;
  contextSize: number;
  threads: number;
  maxTokens: number;
}

export interface Rates {
  prompt: number;
  generation: number;
}

/** Tansuo's embedded provider, called as the agent loop calls it (doStream through doGenerate). */
export async function openTansuoRunner(settings: BenchSettings) {
  const model = createEmbeddedModel({
    modelPath: settings.modelPath,
    contextSize: settings.contextSize,
    threads: settings.threads,
    gpu: false,
  });
  await model.load();
  return {
    async generate(prompt: string): Promise<Rates> {
      const result = await model.doGenerate({
        prompt: [{ role: "user", content: [{ type: "text", text: prompt }] }],
        maxOutputTokens: settings.maxTokens,
        seed: 1,
      });
      const rates = result.providerMetadata?.embedded;
      return {
        prompt: Number(rates?.promptTokensPerSecond ?? 0),
        generation: Number(rates?.generationTokensPerSecond ?? 0),
      };
    },
    close: () => model.close(),
  };
}
