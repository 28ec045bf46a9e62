import { z } from "zod";
import { TansuoError } from "../errors/tansuo-error.ts";
import type { AnswerCheck } from "./answer-check.ts";

/** The agent's final answer did not match its output schema, even after the repair turn. */
export class StructuredOutputError extends TansuoError {
  override readonly name = "StructuredOutputError";
  readonly kind = "model";
  constructor(
    message: string,
    readonly runId: string,
    /** The model's last answer, as it gave it. */
    readonly output: string | undefined,
  ) {
    super(message);
  }
}

/** What the model is told about its final answer; part of the instructions, so it stays in the cached prefix. */
export function outputInstructions(schema: z.ZodType): string {
  const jsonSchema = z.toJSONSchema(schema, { target: "draft-7" }) as Record<string, unknown>;
  delete jsonSchema.$schema;
  return (
    "When the task is done, give your final answer as one JSON object, with no other text, " +
    `matching this JSON schema:\n${JSON.stringify(jsonSchema)}`
  );
}

/** The answer's JSON: the whole text, or the inside of one ```json fence (models add them though told not to). */
function jsonText(answer: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/.exec(answer);
  return (fenced?.[1] ?? answer).trim();
}

export type ParsedAnswer<Output> = { success: true; data: Output } | { success: false; problems: string };

export function parseAnswer<Output>(schema: z.ZodType<Output>, answer: string): ParsedAnswer<Output> {
  let value: unknown;
  try {
    value = JSON.parse(jsonText(answer));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { success: false, problems: `it is not valid JSON (${reason})` };
  }
  const result = schema.safeParse(value);
  if (result.success) return { success: true, data: result.data };
  const problems = result.error.issues
    .map((issue) => `${issue.path.join(".") || "(the answer)"}: ${issue.message}`)
    .join("; ");
  return { success: false, problems };
}

export const structuredAnswerCheck = (schema: z.ZodType): AnswerCheck => ({
  problems: (answer) => {
    const parsed = parseAnswer(schema, answer);
    return parsed.success ? undefined : parsed.problems;
  },
  json: true,
});
