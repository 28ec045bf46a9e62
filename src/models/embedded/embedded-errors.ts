import { TansuoError } from "../../errors/tansuo-error.ts";

/** The caller's prompt does not fit the context the model was opened with. */
export class PromptTooLongError extends TansuoError {
  override readonly name = "PromptTooLongError";
  readonly kind = "user";
  constructor(
    readonly promptTokens: number,
    readonly contextSize: number,
    readonly minimumOutputTokens: number,
  ) {
    super(
      `The prompt has ${promptTokens} tokens but the local model's context holds ${contextSize}, ` +
        `and at least ${minimumOutputTokens} must stay free for the answer. Nothing was generated. ` +
        "Give a shorter task or history, or open the model with a bigger context (--context).",
    );
  }
}

/** The user named a model file that is not there. */
export class ModelFileNotFoundError extends TansuoError {
  override readonly name = "ModelFileNotFoundError";
  readonly kind = "user";
  constructor(readonly modelPath: string) {
    super(
      `No model file at ${modelPath}. Check the path, or pass an hf:<user>/<repo>/<file>.gguf URI to download one.`,
    );
  }
}

/** The user wrote a model spec that is neither a .gguf path nor an hf: URI of a .gguf file. */
export class InvalidModelSpecError extends TansuoError {
  override readonly name = "InvalidModelSpecError";
  readonly kind = "user";
  constructor(readonly spec: string) {
    super(`"${spec}" is not a model spec: write a path to a .gguf file or hf:<user>/<repo>/<file>.gguf.`);
  }
}

/** llama.cpp could not load the file (not a GGUF, unknown architecture, too little memory). */
export class ModelLoadError extends TansuoError {
  override readonly name = "ModelLoadError";
  readonly kind = "user";
  constructor(
    readonly modelPath: string,
    cause: unknown,
    llamaLog: string[],
  ) {
    const said = llamaLog.length > 0 ? ` llama.cpp said: ${llamaLog.join(" | ")}` : "";
    super(
      `Could not load the model ${modelPath}: ${cause instanceof Error ? cause.message : String(cause)}.${said} ` +
        "Check that it is a complete GGUF file of a llama.cpp-supported model, or use a smaller context or model.",
      { cause },
    );
  }
}

/** The model could not be downloaded (no network, server error); says the three other ways to get a model. */
export class ModelDownloadError extends TansuoError {
  override readonly name = "ModelDownloadError";
  readonly kind = "provider";
  constructor(
    readonly url: string,
    readonly fileName: string,
    readonly modelsDirectory: string,
    reason: string,
    cause?: unknown,
    /** True when what arrived was kept in the models folder's .downloading/ folder for the next try to resume. */
    readonly partialKept = false,
  ) {
    const kept = partialKept
      ? `What arrived was kept in ${modelsDirectory}/.downloading/; run again to resume.`
      : "No partial file was kept.";
    super(
      `Could not download ${fileName} from ${url}: ${reason}. ${kept}\n` +
        "Supply a model in one of three ways:\n" +
        "  - pass --model path/to/model.gguf (a GGUF file you already have),\n" +
        "  - set DEEPSEEK_API_KEY (or OPENAI_API_KEY) to use a remote model,\n" +
        `  - download ${fileName} yourself and place it in ${modelsDirectory}/`,
      { cause },
    );
  }
}

/** The downloaded bytes are not the file that was expected (corrupted in transit, or changed upstream). */
export class ModelChecksumError extends TansuoError {
  override readonly name = "ModelChecksumError";
  readonly kind = "provider";
  constructor(
    readonly url: string,
    readonly expectedSha256: string,
    readonly actualSha256: string,
    /** The name the file would have had; nothing is left there. */
    readonly finalPath?: string,
  ) {
    const where = finalPath ? ` (${finalPath})` : "";
    super(
      `The file downloaded from ${url}${where} has sha256 ${actualSha256}, not the expected ${expectedSha256}; ` +
        "it was deleted and nothing was kept under its name. Run again to download it afresh, or supply a model " +
        "you trust with --model path/to/model.gguf.",
    );
  }
}

/** The model wrote a tool call whose input breaks a schema rule the grammar cannot enforce (pattern, format, bounds). */
export class ToolInputInvalidError extends TansuoError {
  override readonly name = "ToolInputInvalidError";
  readonly kind = "model";
  constructor(
    readonly toolName: string,
    readonly input: string,
    readonly problems: string,
  ) {
    super(`The local model called ${toolName} with input that breaks its schema (${problems}): ${input}`);
  }
}

/** The caller used the model after closing it. */
export class EmbeddedModelClosedError extends TansuoError {
  override readonly name = "EmbeddedModelClosedError";
  readonly kind = "user";
  constructor(readonly modelId: string) {
    super(`The embedded model ${modelId} was closed; create a new one to call it again.`);
  }
}
