export { type ChatWrapperName, chatWrapperNames } from "./chat-wrapper-names.ts";
export { defaultEmbeddedModel, type KnownModelFile } from "./default-model.ts";
export type { DownloadedFile, DownloadProgress, ExpectedFile } from "./download-file.ts";
export {
  EmbeddedModelClosedError,
  InvalidModelSpecError,
  ModelChecksumError,
  ModelDownloadError,
  ModelFileNotFoundError,
  ModelLoadError,
  PromptTooLongError,
  ToolInputInvalidError,
} from "./embedded-errors.ts";
export {
  createEmbeddedModel,
  EmbeddedLanguageModel,
  type EmbeddedModelInfo,
  type EmbeddedModelOptions,
} from "./embedded-language-model.ts";
export type { GpuChoice } from "./llama-runtime.ts";
export { type ResolveModelSourceOptions, resolveModelSource } from "./model-source.ts";
