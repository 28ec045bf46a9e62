import { describe, expect, it } from "vitest";
import { defaultEmbeddedModel } from "../../src/models/embedded/index.ts";
import { findRecommendedModel, recommendedModels } from "../../src/models/recommended-models.ts";

describe("recommended models", () => {
  it("holds the six open models the issue names, each a Q4_K_M GGUF with a size and sha256 per file", () => {
    expect(recommendedModels.map((model) => model.name)).toEqual([
      "qwen2.5-1.5b-instruct",
      "qwen2.5-7b-instruct",
      "qwen2.5-coder-7b-instruct",
      "llama-3.2-3b-instruct",
      "deepseek-r1-distill-qwen-1.5b",
      "deepseek-r1-distill-qwen-7b",
    ]);
    for (const model of recommendedModels) {
      expect(model.uri.toLowerCase()).toContain("q4_k_m");
      expect(model.uri.endsWith(`/${model.files[0]?.fileName}`)).toBe(true);
      expect(model.why.length).toBeGreaterThan(20);
      for (const file of model.files) {
        expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(file.sizeBytes).toBeGreaterThan(500_000_000);
      }
    }
  });

  it("lists the default model with the same checksum the default download uses", () => {
    const listed = findRecommendedModel(defaultEmbeddedModel.uri);
    expect(listed?.name).toBe("qwen2.5-1.5b-instruct");
    expect(listed?.files).toEqual([
      { fileName: defaultEmbeddedModel.fileName, sizeBytes: 1_117_320_736, sha256: defaultEmbeddedModel.sha256 },
    ]);
  });

  it("finds a model by name or hf: URI and marks only the DeepSeek-R1 distills as <think> reasoning models", () => {
    expect(findRecommendedModel("Qwen2.5-7B-Instruct")?.files).toHaveLength(2);
    expect(findRecommendedModel("hf:unknown/repo-GGUF/model.gguf")).toBeUndefined();
    expect(recommendedModels.filter((model) => model.reasoning === "think-tags").map((model) => model.name)).toEqual([
      "deepseek-r1-distill-qwen-1.5b",
      "deepseek-r1-distill-qwen-7b",
    ]);
  });
});
