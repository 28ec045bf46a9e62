// The public library surface of `tansuo`: every export is named here on purpose; nothing leaks by `export *`.
export {
  Agent,
  type AgentOptions,
  type AgentResult,
  type AgentRuntime,
  type AgentStream,
  type AgentTaskOptions,
  type ApprovalAnswer,
  type Approver,
  approveRun,
  cancelRun,
  createRuntime,
  type ExecuteRunOptions,
  executeRun,
  type NewRunSettings,
  type RunEvent,
  RunStateError,
  StructuredOutputError,
  startRun,
} from "./agent/index.ts";
export { ConfigError, homeDirectory, loadSettings } from "./config/load-settings.ts";
export type { AgentSettings, Settings } from "./config/settings-schema.ts";
export { type CallCost, costOf, worstCaseUsd } from "./cost/cost.ts";
export { type AppliedPrice, type PriceRow, priceAt } from "./cost/price.ts";
export type { TokenUsage } from "./cost/usage.ts";
export { type UsageSemantics, usageFromWire } from "./cost/wire-usage.ts";
export { errorKindOf } from "./errors/error-kind-of.ts";
export { InternalError } from "./errors/internal-error.ts";
export { type ErrorKind, TansuoError } from "./errors/tansuo-error.ts";
export {
  type EvalOptions,
  type EvalRun,
  registerSuite,
  runEval,
  type ScoreContext,
  type ScoredAnswer,
  type SuiteAnswer,
  type SuiteDefinition,
  type SuitePrompt,
  type SuiteTask,
} from "./evals/index.ts";
export { Catalog } from "./models/catalog.ts";
export type { ModelEntry } from "./models/model-entry.ts";
export { MissingApiKeyError, UnknownModelError } from "./models/model-errors.ts";
export { ProviderConnectionError, ProviderResponseError } from "./models/openai-chat/provider-errors.ts";
export { openAiChatModel } from "./models/providers/openai-chat-wire.ts";
export type {
  ProviderConnection,
  ProviderDescriptor,
  ThinkingSetting,
} from "./models/providers/provider-descriptor.ts";
export { registeredProviders, registerProvider } from "./models/providers/provider-registry.ts";
export { UnknownProviderError } from "./models/providers/unknown-provider-error.ts";
export { resolveModel } from "./models/resolve-model.ts";
export type { ResolveModelOptions } from "./models/resolve-model-options.ts";
export type { ResolvedModel } from "./models/resolved-model.ts";
export type { RunRecord, RunSettings, RunStatus, StepRecord, ToolCallRecord } from "./store/records.ts";
export { SqliteStore } from "./store/sqlite-store.ts";
export type { Store } from "./store/store.ts";
export { builtinTools } from "./tools/builtin-tools.ts";
export { ImageInputError } from "./tools/images/image-errors.ts";
export {
  defineTool,
  type Tool,
  type ToolContext,
  type ToolImage,
  ToolInputError,
  type ToolOutput,
} from "./tools/tool.ts";
export { ToolRegistry } from "./tools/tool-registry.ts";
export { ToolRegistryError } from "./tools/tool-registry-errors.ts";
