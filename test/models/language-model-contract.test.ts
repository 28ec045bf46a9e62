import { Catalog } from "../../src/models/catalog.ts";
import { createEmbeddedModel } from "../../src/models/embedded/index.ts";
import { resolveModel } from "../../src/models/resolve-model.ts";
import { ScriptedModel } from "../../src/testing/index.ts";
import { startDeepSeekServer } from "../support/deepseek-server/index.ts";
import { tinyModelPath } from "../support/tiny-model.ts";
import { languageModelContract } from "./language-model-contract.ts";

languageModelContract("DeepSeek wire provider on a local server", async () => {
  const server = await startDeepSeekServer({
    apiKey: "sk-contract",
    fallback: (request) => {
      const body = request.body as { tool_choice?: unknown };
      return body.tool_choice === "required"
        ? { toolCalls: [{ name: "lookup_city", arguments: { name: "Hangzhou", limit: 3 } }] }
        : { content: "Hello." };
    },
  });
  const resolved = await resolveModel("deepseek-chat", {
    catalog: Catalog.builtIn(),
    env: { DEEPSEEK_API_KEY: "sk-contract" },
    modelsDirectory: "/nonexistent",
    baseUrl: server.url,
    retryPolicy: { maxRetries: 0, initialDelayMilliseconds: 1, maxDelayMilliseconds: 1 },
  });
  return { model: resolved.model, cleanup: () => server.close() };
});

languageModelContract("ScriptedModel", async (scenario) => {
  const model = new ScriptedModel(
    scenario === "tool-call"
      ? [{ toolCalls: [{ name: "lookup_city", input: { name: "Hangzhou", limit: 3 } }] }]
      : scenario === "text"
        ? [{ text: "Hello." }]
        : // An aborted call still uses its step: the call was made, and refused.
          [{ text: "Hello." }],
  );
  return { model, cleanup: async () => model.assertFinished() };
});

languageModelContract("embedded llama.cpp (tiny random model)", async () => {
  const model = createEmbeddedModel({ modelPath: tinyModelPath, contextSize: 1024, threads: 1, gpu: false });
  return { model, cleanup: () => model.close() };
});
