import { InvalidArgumentError, Option } from "commander";
import { CommandInputError } from "../cli-errors.ts";

/** A comma-separated list of model ids (`--models`, `--fallbacks`); an empty one is a usage mistake. */
function modelIdList(value: string): string[] {
  const models = value
    .split(",")
    .map((model) => model.trim())
    .filter(Boolean);
  if (models.length === 0) throw new InvalidArgumentError("expected model ids separated by commas, e.g. a,b");
  return models;
}

/** `--models a,b`: an escalation ladder, cheapest first (run and chat). */
export function modelsOption(): Option {
  return new Option(
    "--models <ids>",
    "an escalation ladder, cheapest first: starts on the first model without thinking and moves up when stuck",
  ).argParser(modelIdList);
}

/** `--model` and `--models` name the same thing: one of them, or the first rung is ambiguous. */
export function checkedLadder(options: { model?: string; models?: string[] }): string[] | undefined {
  if (options.models && options.model !== undefined) {
    throw new CommandInputError(
      `Both --model ${options.model} and --models ${options.models.join(",")} were given; ` +
        "pass one (the ladder's first model is the run's model).",
    );
  }
  return options.models;
}

/** `--fallbacks a,b`: models a call moves to, in order, when the run's model is down (run and chat). */
export function fallbacksOption(): Option {
  return new Option(
    "--fallbacks <ids>",
    "models to move to, in order, when the model is down (connection, 5xx, 429 past retries, overloaded)",
  ).argParser(modelIdList);
}
