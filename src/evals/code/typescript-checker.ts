import { Worker } from "node:worker_threads";
import { typeCheckWorkerSource } from "./typescript-check-worker.ts";
import { typescriptModulePath } from "./typescript-module.ts";

export type TypeCheckResult = { ok: true; javascript: string } | { ok: false; errors: string[] };

interface WorkerAnswer {
  id: number;
  javascript?: string;
  errors?: string[];
  failure?: string;
}

/**
 * Type-checks and compiles TypeScript programs one at a time in a worker thread. A check that runs past its time
 * or memory (pathological types) fails that task alone: the worker is replaced and the next task goes on.
 */
export class TypeScriptChecker {
  private worker: Worker | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;

  constructor(private readonly memoryMb = 1024) {}

  check(source: string, timeoutMs: number): Promise<TypeCheckResult> {
    const result = this.queue.then(() => this.checkNow(source, timeoutMs));
    this.queue = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    await this.queue;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private startWorker(): Worker {
    const worker = new Worker(typeCheckWorkerSource, {
      eval: true,
      workerData: { typescriptPath: typescriptModulePath() },
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb },
      stdout: true,
      stderr: true,
    });
    this.worker = worker;
    return worker;
  }

  private checkNow(source: string, timeoutMs: number): Promise<TypeCheckResult> {
    const worker = this.worker ?? this.startWorker();
    const id = this.nextId++;
    return new Promise((resolve) => {
      const settle = (result: TypeCheckResult, replaceWorker: boolean) => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        if (replaceWorker) {
          if (this.worker === worker) this.worker = undefined;
          void worker.terminate();
        }
        resolve(result);
      };
      const onMessage = (answer: WorkerAnswer) => {
        if (answer.id !== id) return;
        if (answer.failure !== undefined)
          settle({ ok: false, errors: [`the compiler crashed: ${answer.failure}`] }, true);
        else if (answer.errors) settle({ ok: false, errors: answer.errors }, false);
        else settle({ ok: true, javascript: answer.javascript ?? "" }, false);
      };
      const onError = (error: Error) => settle({ ok: false, errors: [`type checking failed: ${error.message}`] }, true);
      const onExit = () => settle({ ok: false, errors: ["type checking stopped unexpectedly"] }, true);
      const timer = setTimeout(
        () => settle({ ok: false, errors: [`type checking took longer than ${timeoutMs / 1000} s`] }, true),
        timeoutMs,
      );
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      worker.postMessage({ id, source });
    });
  }
}
