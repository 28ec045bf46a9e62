export { type ReceivedToolResult, toolResultsIn } from "./prompt-tool-results.ts";
export { ScriptedModel, type ScriptedStep, ScriptMismatchError } from "./scripted-model.ts";
