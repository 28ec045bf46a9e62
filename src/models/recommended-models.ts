import type { ExpectedFile } from "./embedded/download-file.ts";

/** One file of a recommended model, as its publisher lists it on Hugging Face. */
export interface RecommendedModelFile extends ExpectedFile {
  sizeBytes: number;
}

/** An open model Tansuo suggests for local runs: `tansuo models pull <name>` downloads it. */
export interface RecommendedModel {
  name: string;
  /** hf:<user>/<repo>/<file>.gguf (the first part of a split model), Q4_K_M. */
  uri: string;
  /** Every file the URI brings, each with its size and sha256 (Hugging Face's LFS object id). */
  files: readonly RecommendedModelFile[];
  why: string;
  /**
   * "think-tags": the model writes its reasoning inside `<think>...</think>` before the answer; node-llama-cpp's
   * chat wrapper for its template returns that part as a thought segment, which the embedded provider streams as
   * reasoning.
   */
  reasoning?: "think-tags";
}

// Sizes and checksums as published on Hugging Face, each quoted alike by several independent projects (see
// docs/architecture.md, Embedded models). None was computed here.
export const recommendedModels: readonly RecommendedModel[] = [
  {
    name: "qwen2.5-1.5b-instruct",
    uri: "hf:Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf",
    files: [
      {
        fileName: "qwen2.5-1.5b-instruct-q4_k_m.gguf",
        sizeBytes: 1_117_320_736,
        sha256: "6a1a2eb6d15622bf3c96857206351ba97e1af16c30d7a74ee38970e434e9407e",
      },
    ],
    why: "The default: reliable tool calls for its size (79.1 on BFCL v3 non-live AST), quick on a laptop CPU.",
  },
  {
    name: "qwen2.5-7b-instruct",
    uri: "hf:Qwen/Qwen2.5-7B-Instruct-GGUF/qwen2.5-7b-instruct-q4_k_m-00001-of-00002.gguf",
    files: [
      {
        fileName: "qwen2.5-7b-instruct-q4_k_m-00001-of-00002.gguf",
        sizeBytes: 3_993_201_344,
        sha256: "dfce12e3862a5283ccfb88221b48480e58745165de856439950d0f22590580db",
      },
      {
        fileName: "qwen2.5-7b-instruct-q4_k_m-00002-of-00002.gguf",
        sizeBytes: 689_872_288,
        sha256: "539cf93f78e887edea1c04e2d7d8cdaca9d01dae9c9025bcb8accbe29df3d72a",
      },
    ],
    why: "A stronger all-round agent for 8 GB of memory or more; Qwen's own split GGUF (two parts).",
  },
  {
    name: "qwen2.5-coder-7b-instruct",
    uri: "hf:bartowski/Qwen2.5-Coder-7B-Instruct-GGUF/Qwen2.5-Coder-7B-Instruct-Q4_K_M.gguf",
    files: [
      {
        fileName: "Qwen2.5-Coder-7B-Instruct-Q4_K_M.gguf",
        sizeBytes: 4_683_074_336,
        sha256: "1664fccab734674a50763490a8c6931b70e3f2f8ec10031b54806d30e5f956b6",
      },
    ],
    why: "For coding tasks: reads, edits and explains code better than the general 7B at the same size.",
  },
  {
    name: "llama-3.2-3b-instruct",
    uri: "hf:hugging-quants/Llama-3.2-3B-Instruct-Q4_K_M-GGUF/llama-3.2-3b-instruct-q4_k_m.gguf",
    files: [
      {
        fileName: "llama-3.2-3b-instruct-q4_k_m.gguf",
        sizeBytes: 2_019_373_920,
        sha256: "c55a83bfb6396799337853ca69918a0b9bbb2917621078c34570bc17d20fd7a1",
      },
    ],
    why: "Meta's small model trained for tool calls in its own syntax; between the 1.5B and the 7Bs in speed.",
  },
  {
    name: "deepseek-r1-distill-qwen-1.5b",
    uri: "hf:bartowski/DeepSeek-R1-Distill-Qwen-1.5B-GGUF/DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf",
    files: [
      {
        fileName: "DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf",
        sizeBytes: 1_117_320_800,
        sha256: "1741e5b2d062b07acf048bf0d2c514dadf2a48f94e2b4aa0cfe069af3838ee2f",
      },
    ],
    why: "A local reasoning model: thinks step by step (shown as reasoning) before it answers; small and quick.",
    reasoning: "think-tags",
  },
  {
    name: "deepseek-r1-distill-qwen-7b",
    uri: "hf:bartowski/DeepSeek-R1-Distill-Qwen-7B-GGUF/DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf",
    files: [
      {
        fileName: "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf",
        sizeBytes: 4_683_073_504,
        sha256: "731ece8d06dc7eda6f6572997feb9ee1258db0784827e642909d9b565641937b",
      },
    ],
    why: "DeepSeek-R1's reasoning distilled into Qwen 7B: much better at math and logic; slower, long answers.",
    reasoning: "think-tags",
  },
];

/** The recommended model a `pull` argument or `--model` spec names: its name or its hf: URI. */
export function findRecommendedModel(nameOrUri: string): RecommendedModel | undefined {
  const wanted = nameOrUri.trim().toLowerCase();
  return recommendedModels.find((model) => model.name === wanted || model.uri.toLowerCase() === wanted);
}

/** All bytes a recommended model takes on disk. */
export function totalSizeBytes(model: RecommendedModel): number {
  return model.files.reduce((sum, file) => sum + file.sizeBytes, 0);
}
