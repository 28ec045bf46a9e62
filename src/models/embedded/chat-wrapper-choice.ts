import {
  type ChatModelFunctions,
  type ChatWrapper,
  type ChatWrapperGenerateContextStateOptions,
  GeneralChatWrapper,
  Llama3_1ChatWrapper,
  Llama3ChatWrapper,
  type LlamaModel,
  MistralChatWrapper,
  QwenChatWrapper,
  resolveChatWrapper,
} from "node-llama-cpp";
import type { ChatWrapperName } from "./chat-wrapper-names.ts";

/** The chat wrapper for `model`: the one named, or the one its GGUF template resolves to. */
export function chooseChatWrapper(model: LlamaModel, name: ChatWrapperName = "auto"): ChatWrapper {
  switch (name) {
    case "qwen":
      return new QwenChatWrapper();
    case "llama3.1":
      // Fixed dates keep the rendered prompt, and so the reused context, the same from one day to the next.
      return new Llama3_1ChatWrapper({ todayDate: null });
    case "llama3":
      return new Llama3ChatWrapper();
    case "mistral":
      return new MistralChatWrapper();
    case "general":
      return new GeneralChatWrapper();
    case "auto":
      // Falls back to a plain "### Human / ### Assistant" layout when the file has no known chat template.
      return resolveChatWrapper(model);
  }
}

/**
 * `chatWrapper` rendering `functions` in its own tool format on every prompt, so the model sees its tools the
 * way it was trained while Tansuo's grammar, not node-llama-cpp's, constrains what it writes.
 */
export function withDocumentedTools(chatWrapper: ChatWrapper, functions: ChatModelFunctions | undefined): ChatWrapper {
  if (functions === undefined || Object.keys(functions).length === 0) return chatWrapper;
  const documenting = Object.create(chatWrapper) as ChatWrapper;
  documenting.generateContextState = (options: ChatWrapperGenerateContextStateOptions) =>
    chatWrapper.generateContextState({ ...options, availableFunctions: functions, documentFunctionParams: true });
  return documenting;
}

/** A chat wrapper whose documented tools change per call, so one LlamaChat serves every call of a session. */
export interface SwitchableToolDocs {
  chatWrapper: ChatWrapper;
  use(functions: ChatModelFunctions | undefined): void;
}

export function switchableToolDocs(chatWrapper: ChatWrapper): SwitchableToolDocs {
  let current: ChatWrapper = chatWrapper;
  const switching = Object.create(chatWrapper) as ChatWrapper;
  switching.generateContextState = (options: ChatWrapperGenerateContextStateOptions) =>
    current.generateContextState(options);
  return {
    chatWrapper: switching,
    use: (functions) => {
      current = withDocumentedTools(chatWrapper, functions);
    },
  };
}
