import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";

/** One prompt message as text (role header included), as the bench tokenizes and caches it. */
export interface TranscriptMessage {
  text: string;
}

/** A recorded run: pinned system prompt (with the tools) and task, then each step's answer and tool result. */
export interface Transcript {
  name: string;
  system: string;
  task: string;
  steps: { assistant: string; toolResult: string }[];
}

const dataFolder = path.join(import.meta.dirname, "../../../shared/data");

interface BfclQuestion {
  id: string;
  question: { role: string; content: string }[][];
  function: { name: string; description: string; parameters: unknown }[];
}
interface BfclAnswer {
  id: string;
  ground_truth: Record<string, Record<string, unknown[]>>[];
}
interface HumanEvalTask {
  task_id: string;
  prompt: string;
  canonical_solution: string;
  test: string;
}

const jsonLines = <T>(text: string): T[] =>
  text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);

export function readData() {
  const bfclFile = (name: string) => path.join(dataFolder, "bfcl", name);
  try {
    const questions = jsonLines<BfclQuestion>(readFileSync(bfclFile("BFCL_v4_multiple.json"), "utf8"));
    const answers = jsonLines<BfclAnswer>(readFileSync(bfclFile("possible_answer/BFCL_v4_multiple.json"), "utf8"));
    const humanEval = jsonLines<HumanEvalTask>(
      gunzipSync(readFileSync(path.join(dataFolder, "humaneval/HumanEval.jsonl.gz"))).toString("utf8"),
    );
    return { questions, answers: new Map(answers.map((answer) => [answer.id, answer])), humanEval };
  } catch (error) {
    throw new Error(
      `bench/compaction reads BFCL and HumanEval from ${dataFolder} (see ../shared/README.md) and could not: ` +
        `${(error as Error).message}. Nothing was measured; run it from a checkout with ../shared beside it.`,
    );
  }
}

/** A call's arguments: each parameter's first accepted value that is not "may be omitted". */
function firstAccepted(call: Record<string, unknown[]>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(call).flatMap(([name, values]) => {
      const value = values.find((candidate) => candidate !== "");
      return value === undefined ? [] : [[name, value]];
    }),
  );
}

/**
 * A coding agent's long run, made of real data: each step answers a BFCL question with its accepted call
 * (reasoning, then the call), and the tool result is a HumanEval task's source and tests (a file it read) or its
 * reference solution (a command's output). `offset` picks where in the data the run starts.
 */
export function buildTranscript(stepCount: number, offset: number): Transcript {
  const { questions, answers, humanEval } = readData();
  const tools = questions.slice(offset, offset + 6).flatMap((question) => question.function);
  const system =
    "system\nYou are a coding agent. Use the tools to look things up, read and run code; answer when done.\n" +
    `Tools:\n${JSON.stringify(tools)}`;
  const first = humanEval[offset % humanEval.length]!;
  const task = `user\nMake every task in the repository pass its tests, starting with:\n${first.prompt}`;
  const steps = [];
  for (let step = 0; step < stepCount; step++) {
    const question = questions[(offset + step) % questions.length]!;
    const call = answers.get(question.id)?.ground_truth[0] ?? {};
    const [name, args] = Object.entries(call)[0] ?? [question.function[0]!.name, {}];
    const asked = question.question[0]?.[0]?.content ?? "";
    const assistant = `assistant\nThe next thing to check: ${asked}\n<tool_call>${JSON.stringify({ name, arguments: firstAccepted(args) })}</tool_call>`;
    const code = humanEval[(offset + step * 7) % humanEval.length]!;
    const toolResult =
      step % 2 === 0
        ? `tool\n# ${code.task_id}\n${code.prompt}${code.canonical_solution}\n${code.test}`
        : `tool\n$ python -m pytest ${code.task_id}\n${code.prompt}${code.canonical_solution}\n1 passed`;
    steps.push({ assistant, toolResult });
  }
  return { name: `${stepCount} steps (from BFCL multiple_${offset})`, system, task, steps };
}
