import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { LanguageModelV3FunctionTool, LanguageModelV3Prompt } from "@ai-sdk/provider";
import { createRuntime, executeRun, type RunEvent, startRun } from "../../src/agent/index.ts";
import { Catalog } from "../../src/models/catalog.ts";
import { resolveModel } from "../../src/models/resolve-model.ts";
import type { ResolvedModel } from "../../src/models/resolved-model.ts";
import { promptByteBound } from "../../src/models/tokenizers/byte-bound.ts";
import { promptTokenBound } from "../../src/models/tokenizers/prompt-tokens.ts";
import { tokenizerFor } from "../../src/models/tokenizers/tokenizer-registry.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import {
  type DeepSeekServer,
  type ScriptedReply,
  startDeepSeekServer,
} from "../../test/support/deepseek-server/index.ts";
import { readData } from "../compaction/transcripts.ts";

/** One set's bound-to-reported ratios, before (bytes) and after (the tokenizer). */
export interface BoundRatios {
  name: string;
  before: number[];
  after: number[];
}

const system = "You are a coding agent. Use the tools to look things up, read and run code; answer when done.";

async function deepSeekAt(server: DeepSeekServer): Promise<ResolvedModel> {
  return resolveModel("deepseek-v4-flash", {
    catalog: Catalog.builtIn(),
    env: { DEEPSEEK_API_KEY: "sk-bench" },
    modelsDirectory: "/nonexistent",
    baseUrl: server.url,
    retryPolicy: { maxRetries: 0, initialDelayMilliseconds: 0, maxDelayMilliseconds: 0 },
  });
}

/** Each prompt sent once: the server's reported prompt tokens against both bounds of the same prompt. */
async function promptRatios(
  name: string,
  resolved: ResolvedModel,
  prompts: { prompt: LanguageModelV3Prompt; tools?: LanguageModelV3FunctionTool[] }[],
): Promise<BoundRatios> {
  const tokenizer = await tokenizerFor(resolved.entry);
  const ratios: BoundRatios = { name, before: [], after: [] };
  for (const { prompt, tools } of prompts) {
    const answer = await resolved.model.doGenerate({ prompt, tools });
    const reported = answer.usage.inputTokens.total ?? Number.NaN;
    ratios.before.push(promptByteBound(prompt, tools) / reported);
    ratios.after.push(promptTokenBound(tokenizer, resolved.entry, prompt, tools) / reported);
  }
  return ratios;
}

/** HumanEval tasks as a coding agent's first prompt, and BFCL questions with their functions as tools. */
function benchPrompts(count: number) {
  const { questions, humanEval } = readData();
  const humanEvalPrompts = humanEval.slice(0, count).map((task) => ({
    prompt: [
      { role: "system", content: system },
      { role: "user", content: [{ type: "text", text: `Complete this function:\n${task.prompt}` }] },
    ] satisfies LanguageModelV3Prompt,
  }));
  const bfclPrompts = questions.slice(0, count).map((question) => ({
    prompt: [
      { role: "system", content: system },
      ...question.question[0]!.map((turn) => ({
        role: "user" as const,
        content: [{ type: "text" as const, text: turn.content }],
      })),
    ] satisfies LanguageModelV3Prompt,
    tools: question.function.map(
      (tool): LanguageModelV3FunctionTool => ({
        type: "function",
        name: tool.name.replaceAll(".", "_"),
        description: tool.description,
        inputSchema: tool.parameters as LanguageModelV3FunctionTool["inputSchema"],
      }),
    ),
  }));
  return { humanEvalPrompts, bfclPrompts, humanEval, questions };
}

/**
 * A real agent run of `steps` steps on the DeepSeek provider (reading HumanEval files, reasoning in BFCL
 * questions), once without the tokenizer and once with it: each step's held prompt bound against the prompt
 * tokens the server reported for that call. `answerWith` gives the server the run's replies.
 */
async function agentRunRatios(
  steps: number,
  resolved: ResolvedModel,
  answerWith: (replies: ScriptedReply[]) => void,
): Promise<BoundRatios> {
  const { humanEval, questions } = readData();
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-token-bound-"));
  const ratios: BoundRatios = { name: `${steps}-step agent run`, before: [], after: [] };
  try {
    const workspace = path.join(folder, "workspace");
    mkdirSync(workspace);
    for (let step = 0; step < steps; step++) {
      const task = humanEval[step % humanEval.length]!;
      writeFileSync(path.join(workspace, `task_${step}.py`), `${task.prompt}${task.canonical_solution}\n${task.test}`);
    }
    for (const [side, entry] of [
      ["before", { ...resolved.entry, tokenizer: undefined }],
      ["after", resolved.entry],
    ] as const) {
      answerWith([
        ...Array.from({ length: steps - 1 }, (_, step) => ({
          reasoningContent: `Next: ${questions[step % questions.length]!.question[0]![0]!.content}`,
          toolCalls: [{ name: "read_file", arguments: { path: `task_${step}.py` } }],
        })),
        { content: "All tasks read; each solution passes its tests." },
      ]);
      const store = new SqliteStore(path.join(folder, `${side}.db`));
      try {
        const runtime = createRuntime({ store, resolveModel: async () => ({ ...resolved, entry }) });
        const held: number[] = [];
        const run = await startRun(runtime, {
          task: "Read every task file and check its solution.",
          model: "deepseek-v4-flash",
          workspace,
          tools: ["read_file"],
          approval: "auto",
          // A budget, so each step's worst case is held (its prompt bound is the step-started event's).
          budgetUsd: "100",
          maxSteps: steps + 1,
        });
        const finished = await executeRun(runtime, run.id, {
          onEvent: (event: RunEvent) => {
            if (event.type === "step-started") held.push(event.promptTokens);
          },
        });
        if (finished.status !== "succeeded") {
          throw new Error(`bench/token-bound: the ${side} run ended ${finished.status}: ${finished.error ?? ""}`);
        }
        const reported = (await store.listSteps(run.id)).map((step) => step.usage.inputTokens);
        ratios[side].push(...held.map((bound, index) => bound / reported[index]!));
      } finally {
        store.close();
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return ratios;
}

/** The bound's ratios over `prompts` HumanEval and BFCL prompts and a `steps`-step agent run. */
export async function measureTokenBounds(options: { prompts: number; steps: number }): Promise<BoundRatios[]> {
  const { humanEvalPrompts, bfclPrompts } = benchPrompts(options.prompts);
  let script: ScriptedReply[] = [];
  const server = await startDeepSeekServer({
    countTokens: "deepseek-v3",
    fallback: () => script.shift() ?? { content: "ok" },
  });
  try {
    const resolved = await deepSeekAt(server);
    const sets = [
      await promptRatios(`HumanEval (${humanEvalPrompts.length} prompts)`, resolved, humanEvalPrompts),
      await promptRatios(`BFCL multiple (${bfclPrompts.length} prompts, with tools)`, resolved, bfclPrompts),
    ];
    sets.push(
      await agentRunRatios(options.steps, resolved, (replies) => {
        script = replies;
      }),
    );
    return sets;
  } finally {
    await server.close();
  }
}
