import { getLlama, type Llama, type LlamaGpuType, LlamaLogLevel } from "node-llama-cpp";

/** `true` or "auto" picks the best available GPU and falls back to the CPU; `false` forces the CPU. */
export type GpuChoice = boolean | "auto" | LlamaGpuType;

const runtimes = new Map<string, Promise<Llama>>();
const recentLog: string[] = [];
const recentLogLimit = 8;

/**
 * The llama.cpp runtime for a GPU choice, created once per process. It uses the prebuilt binaries only:
 * building llama.cpp from source at run time would take minutes and need a compiler.
 */
export function llamaRuntime(gpu: GpuChoice = "auto"): Promise<Llama> {
  const choice = gpu === true ? "auto" : gpu;
  const key = String(choice);
  let runtime = runtimes.get(key);
  if (!runtime) {
    runtime = getLlama({
      gpu: choice,
      build: "never",
      skipDownload: true,
      progressLogs: false,
      logLevel: LlamaLogLevel.warn,
      // llama.cpp talks on stderr by default; its warnings are kept for error messages instead.
      logger: (level, message) => rememberLog(level, message),
    });
    runtimes.set(key, runtime);
    runtime.catch(() => runtimes.delete(key));
  }
  return runtime;
}

/** The last few warnings and errors llama.cpp logged, newest last. */
export function recentLlamaLog(): string[] {
  return [...recentLog];
}

function rememberLog(level: LlamaLogLevel, message: string): void {
  if (level !== LlamaLogLevel.error && level !== LlamaLogLevel.warn && level !== LlamaLogLevel.fatal) return;
  const line = message.trim();
  if (line === "") return;
  recentLog.push(line);
  if (recentLog.length > recentLogLimit) recentLog.shift();
}
