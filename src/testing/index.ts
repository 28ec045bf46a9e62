export { ScriptedModel, type ScriptedStep, ScriptMismatchError } from "./scripted-model.ts";
