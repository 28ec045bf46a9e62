import path from "node:path";
import { z } from "zod";
import type { BfclCategory, BfclExpectedCall, BfclFunction, BfclTask } from "../bfcl/bfcl-task.ts";
import { PythonJsonSyntaxError, parsePythonJson } from "../bfcl/python-json.ts";
import type { PythonValue } from "../bfcl/python-value.ts";
import { DatasetError } from "../eval-errors.ts";
import { readJsonLines, readRawJsonLines } from "./read-json-lines.ts";

const parameterSchema: z.ZodType<unknown> = z.lazy(() =>
  z.looseObject({
    type: z.string().optional(),
    description: z.string().optional(),
    items: parameterSchema.optional(),
    properties: z.record(z.string(), parameterSchema).optional(),
  }),
);

const functionSchema = z.object({
  name: z.string().min(1),
  description: z.string().default(""),
  parameters: z.looseObject({
    type: z.string().optional(),
    properties: z.record(z.string(), parameterSchema),
    required: z.array(z.string()).optional(),
  }),
});

const questionRecord = z.object({
  id: z.string().min(1),
  question: z.array(z.array(z.object({ role: z.enum(["system", "user", "assistant"]), content: z.string() }))).min(1),
  function: z.array(functionSchema).min(1),
});

export const bfclQuestionFile = (dataDirectory: string, category: BfclCategory) =>
  path.join(dataDirectory, "bfcl", `BFCL_v4_${category}.json`);
export const bfclAnswerFile = (dataDirectory: string, category: BfclCategory) =>
  path.join(dataDirectory, "bfcl", "possible_answer", `BFCL_v4_${category}.json`);

function expectedCalls(file: string, line: number, groundTruth: PythonValue): BfclExpectedCall[] {
  const invalid = () =>
    new DatasetError(file, `${file}:${line}: ground_truth is not a list of {function: {parameter: [values]}}.`);
  if (!Array.isArray(groundTruth)) throw invalid();
  return groundTruth.map((call) => {
    if (!(call instanceof Map) || call.size !== 1) throw invalid();
    const [name, parameters] = [...call][0] as [string, PythonValue];
    if (!(parameters instanceof Map)) throw invalid();
    const accepted = new Map<string, PythonValue[]>();
    for (const [parameter, values] of parameters) {
      if (!Array.isArray(values)) throw invalid();
      accepted.set(parameter, values);
    }
    return { name, parameters: accepted };
  });
}

async function readPossibleAnswers(file: string): Promise<Map<string, BfclExpectedCall[]>> {
  const answers = new Map<string, BfclExpectedCall[]>();
  for (const { line, text } of await readRawJsonLines(file)) {
    let record: PythonValue;
    try {
      record = parsePythonJson(text);
    } catch (error) {
      if (!(error instanceof PythonJsonSyntaxError)) throw error;
      throw new DatasetError(file, `${file}:${line} is not valid JSON (${error.message}).`);
    }
    const id = record instanceof Map ? record.get("id") : undefined;
    const groundTruth = record instanceof Map ? record.get("ground_truth") : undefined;
    if (typeof id !== "string" || groundTruth === undefined) {
      throw new DatasetError(file, `${file}:${line} has no id or no ground_truth.`);
    }
    answers.set(id, expectedCalls(file, line, groundTruth));
  }
  return answers;
}

/** One BFCL v4 category: the questions, and for all but irrelevance the accepted answers, matched by id. */
export async function loadBfclCategory(dataDirectory: string, category: BfclCategory): Promise<BfclTask[]> {
  const questionFile = bfclQuestionFile(dataDirectory, category);
  const questions = await readJsonLines(questionFile, questionRecord);
  const answerFile = bfclAnswerFile(dataDirectory, category);
  const answers = category === "irrelevance" ? undefined : await readPossibleAnswers(answerFile);
  return questions.map((question) => {
    const calls = answers?.get(question.id);
    if (answers && !calls) throw new DatasetError(answerFile, `${answerFile} has no answer for ${question.id}.`);
    const functionNames = new Set(question.function.map((candidate) => candidate.name));
    for (const call of calls ?? []) {
      if (!functionNames.has(call.name)) {
        throw new DatasetError(
          answerFile,
          `${answerFile}: ${question.id} expects ${call.name}, which the question does not offer.`,
        );
      }
    }
    return {
      kind: "bfcl",
      id: question.id,
      category,
      messages: question.question[0] ?? [],
      functions: question.function as BfclFunction[],
      ...(calls ? { expectedCalls: calls } : {}),
    };
  });
}
