import { executeBounded, ToolStoppedError } from "./bounded-execution.ts";
import { jsonTextTooDeep, maximumJsonDepth } from "./json-depth.ts";
import { redactSecrets } from "./secrets/redact-secrets.ts";
import type { Tool, ToolContext } from "./tool.ts";
import { ToolInputError, validateToolInput } from "./tool.ts";
import { type ToolImage, toToolOutput } from "./tool-output.ts";
import { truncateOutput } from "./truncate-output.ts";

export interface ToolOutcome {
  output: string;
  /** Images the tool returned, when it returned any; not text, so neither redacted nor truncated. */
  images?: ToolImage[];
  isError: boolean;
}

/**
 * Parses and validates the model's arguments, runs the tool, redacts secrets and truncates its output.
 * Every failure becomes text the model can act on; nothing a tool throws stops the run.
 */
export async function invokeTool(tool: Tool, rawInput: string, context: ToolContext): Promise<ToolOutcome> {
  const outcome = await invokeUnredacted(tool, rawInput, context);
  // Whatever a tool read or echoed, no secret Tansuo knows reaches the model, the store or the events; redacted
  // before the cut, so a secret astride it cannot leave a piece on each side.
  return { ...outcome, output: truncateOutput(redactSecrets(outcome.output, context.policy.secrets)) };
}

async function invokeUnredacted(tool: Tool, rawInput: string, context: ToolContext): Promise<ToolOutcome> {
  // Refused on the text, never parsed: validating or echoing a value that deep would overflow the stack.
  if (jsonTextTooDeep(rawInput)) {
    return {
      output: `The arguments are nested more than ${maximumJsonDepth} levels deep; send flat arguments.`,
      isError: true,
    };
  }
  let parsedInput: unknown;
  try {
    parsedInput = rawInput.trim() === "" ? {} : JSON.parse(rawInput);
  } catch {
    return { output: `The arguments are not valid JSON: ${rawInput.slice(0, 200)}. Rewrite the call.`, isError: true };
  }
  const validation = validateToolInput(tool, parsedInput);
  if (!validation.valid) {
    return {
      output: `Invalid arguments for ${tool.name}: ${validation.problems}. Rewrite the input and call again.`,
      isError: true,
    };
  }
  try {
    const result = toToolOutput(await executeBounded(tool, validation.data, context));
    return { output: result.text, ...(result.images.length > 0 ? { images: result.images } : {}), isError: false };
  } catch (error) {
    if (error instanceof ToolInputError) return { output: error.message, isError: true };
    if (error instanceof ToolStoppedError) return { output: error.message, isError: true };
    return { output: `${tool.name} failed: ${error instanceof Error ? error.message : String(error)}`, isError: true };
  }
}
