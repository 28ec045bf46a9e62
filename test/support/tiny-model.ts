import path from "node:path";
import { fileURLToPath } from "node:url";

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A 1.7 MB Llama-architecture GGUF with random weights: real llama.cpp paths in milliseconds, gibberish output. */
export const tinyModelPath = path.resolve(repositoryRoot, "../shared/models/llama-2-tiny-random.gguf");
