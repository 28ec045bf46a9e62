export { startDeepSeekServer } from "./server.ts";
export type {
  DeepSeekServer,
  DeepSeekServerOptions,
  ErrorStatus,
  FinishReason,
  ReasoningContentRule,
  RecordedRequest,
  ScriptedCompletion,
  ScriptedError,
  ScriptedReply,
  ScriptedToolCall,
  ScriptedUsage,
} from "./types.ts";
