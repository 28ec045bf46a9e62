import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { nodeExecutable, pythonExecutable } from "../sandbox/interpreters.ts";
import { runInSandbox, type SandboxRequest, type SandboxResult } from "../sandbox/run-in-sandbox.ts";
import type { CodeTask } from "./code-task.ts";
import { pythonDriver } from "./python-driver.ts";
import { assembleScriptProgram } from "./script-program.ts";
import type { TypeScriptChecker } from "./typescript-checker.ts";

export interface CodeVerdict {
  passed: boolean;
  /** Why it failed, in a few lines (the test's error, the type error, the time limit). */
  error: string | null;
  /** Time spent compiling and running, in milliseconds. */
  durationMs: number;
}

export interface CodeHarness {
  typeChecker: TypeScriptChecker;
  /** Heap the program may use; V8 also needs address space beyond it. */
  memoryMb: number;
  outputLimitBytes: number;
  /** Replaces each task's own time limit when set. */
  timeoutMs?: number;
}

const require = createRequire(import.meta.url);
const tail = (text: string, length = 1500) => (text.length > length ? `…${text.slice(-length)}` : text);

// Package folders a sandboxed program may `require`, linked into its folder so nothing else is exposed.
function packageLinks(packages: readonly string[]): Record<string, string> {
  const links: Record<string, string> = {};
  for (const name of packages) links[`node_modules/${name}`] = path.dirname(require.resolve(`${name}/package.json`));
  return links;
}

function judge(task: CodeTask, run: SandboxResult, marker: string, timeoutMs: number): string | null {
  if (run.timedOut) return `timed out after ${timeoutMs / 1000} s`;
  if (run.outputLimitExceeded) return "printed more output than the limit allows";
  if (run.exitCode !== 0) {
    const how = run.signal ? `killed by ${run.signal}` : `exit code ${run.exitCode}`;
    return `${how}${run.stderr ? `: ${tail(run.stderr)}` : ""}`;
  }
  if (run.marker !== marker) return "the program exited before its tests finished";
  if (task.passCriterion === "exit-zero-and-silent" && (run.stdout !== "" || run.stderr !== "")) {
    return `printed output, which HumanEval-X counts as a failed assertion: ${tail(run.stderr || run.stdout)}`;
  }
  return null;
}

const scriptEnding = (marker: string) => `\n;require("node:fs").writeSync(3, ${JSON.stringify(marker)});\n`;

async function sandboxRequest(
  task: CodeTask,
  completion: string,
  harness: CodeHarness,
  marker: string,
  timeoutMs: number,
): Promise<SandboxRequest | string> {
  const limits = { timeoutMs, outputLimitBytes: harness.outputLimitBytes };
  if (task.language === "python") {
    const taskFile = JSON.stringify({
      prompt: task.prompt,
      completion,
      test: task.test,
      entryPoint: task.entryPoint,
      marker,
    });
    return {
      ...limits,
      files: { "driver.py": pythonDriver, "task.json": taskFile },
      command: [pythonExecutable(), "-I", "driver.py"],
      addressSpaceMb: harness.memoryMb,
    };
  }
  let javascript = assembleScriptProgram(task, completion);
  if (task.language === "typescript") {
    const compiled = await harness.typeChecker.check(javascript, 15_000);
    if (!compiled.ok) return `does not compile: ${compiled.errors.join("\n")}`;
    javascript = compiled.javascript;
  }
  return {
    ...limits,
    files: { "package.json": '{ "type": "commonjs" }\n', "program.js": javascript + scriptEnding(marker) },
    links: packageLinks(task.packages ?? []),
    command: [nodeExecutable(), `--max-old-space-size=${harness.memoryMb}`, "program.js"],
    addressSpaceMb: harness.memoryMb + 2048,
  };
}

/** Builds the program for one answer, runs it in the sandbox and judges it as the task's reference harness does. */
export async function scoreCodeTask(task: CodeTask, completion: string, harness: CodeHarness): Promise<CodeVerdict> {
  const started = performance.now();
  const timeoutMs = harness.timeoutMs ?? task.timeoutMs;
  const marker = `tansuo-eval-finished-${randomUUID()}`;
  const request = await sandboxRequest(task, completion, harness, marker, timeoutMs);
  const elapsed = () => Math.round(performance.now() - started);
  if (typeof request === "string") return { passed: false, error: request, durationMs: elapsed() };
  const run = await runInSandbox(request);
  const error = judge(task, run, marker, timeoutMs);
  return { passed: error === null, error, durationMs: elapsed() };
}
