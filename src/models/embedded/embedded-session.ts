import { existsSync } from "node:fs";
import path from "node:path";
import {
  type ChatWrapper,
  type Llama,
  LlamaChat,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
} from "node-llama-cpp";
import { chooseChatWrapper, type SwitchableToolDocs, switchableToolDocs } from "./chat-wrapper-choice.ts";
import type { ChatWrapperName } from "./chat-wrapper-names.ts";
import { ModelFileNotFoundError, ModelLoadError } from "./embedded-errors.ts";
import { GrammarCache } from "./grammar-cache.ts";
import { type GpuChoice, llamaRuntime, recentLlamaLog } from "./llama-runtime.ts";
import { acquireModel, releaseModel } from "./model-cache.ts";

export interface EmbeddedSessionOptions {
  modelPath: string;
  /** Tokens the context holds (prompt and answer together); defaults to the model's own, capped at 8,192. */
  contextSize?: number;
  gpu?: GpuChoice;
  /** CPU threads for evaluation; defaults to the cores useful for math. */
  threads?: number;
  /** The chat wrapper, and so the tool-call syntax; `auto` (the default) reads it from the GGUF's chat template. */
  chatWrapper?: ChatWrapperName;
}

// The KV cache grows with the context: 8,192 tokens of a 1.5B model take well under 1 GB.
const defaultContextSizeCap = 8192;

/** A loaded model with one context and one sequence: the state that one embedded model generates with. */
export interface EmbeddedSession {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  chatWrapper: ChatWrapper;
  /** One chat for every call, as node-llama-cpp's own sessions use it; each call sets the tools it documents. */
  chat: LlamaChat;
  toolDocs: SwitchableToolDocs;
  grammars: GrammarCache;
  close(): Promise<void>;
}

export async function openSession(options: EmbeddedSessionOptions): Promise<EmbeddedSession> {
  const modelPath = path.resolve(options.modelPath);
  if (!existsSync(modelPath)) throw new ModelFileNotFoundError(modelPath);
  const llama = await llamaRuntime(options.gpu);
  let model: LlamaModel;
  try {
    model = await acquireModel(llama, modelPath);
  } catch (error) {
    throw new ModelLoadError(modelPath, error, recentLlamaLog());
  }
  try {
    const context = await model.createContext({
      contextSize: options.contextSize ?? Math.min(model.trainContextSize, defaultContextSizeCap),
      sequences: 1,
      // More threads than cores makes llama.cpp's spinning workers fight, which is far slower than fewer.
      threads: options.threads ?? llama.cpuMathCores,
    });
    const sequence = context.getSequence();
    const chatWrapper = chooseChatWrapper(model, options.chatWrapper);
    const toolDocs = switchableToolDocs(chatWrapper);
    const chat = new LlamaChat({ contextSequence: sequence, chatWrapper: toolDocs.chatWrapper });
    return {
      llama,
      model,
      context,
      sequence,
      chatWrapper,
      chat,
      toolDocs,
      grammars: new GrammarCache(llama),
      close: async () => {
        chat.dispose({ disposeSequence: false });
        await context.dispose();
        await releaseModel(llama, modelPath);
      },
    };
  } catch (error) {
    await releaseModel(llama, modelPath);
    throw new ModelLoadError(modelPath, error, recentLlamaLog());
  }
}
