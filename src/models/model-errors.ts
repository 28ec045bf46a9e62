import { TansuoError } from "../errors/tansuo-error.ts";

/** The user named a model the catalog does not have. */
export class UnknownModelError extends TansuoError {
  override readonly name = "UnknownModelError";
  readonly kind = "user";
  constructor(readonly spec: string) {
    super(
      `Unknown model "${spec}". Run \`tansuo models\` to list the catalog, write provider/model ` +
        `(e.g. openai-compatible/llama3 with --base-url), pass a path to a .gguf file, or add the model to config.`,
    );
  }
}

/** A remote model needs an API key that is not set; says where to put it. */
export class MissingApiKeyError extends TansuoError {
  override readonly name = "MissingApiKeyError";
  readonly kind = "user";
  constructor(
    readonly modelId: string,
    readonly environmentVariable: string,
    /** The catalog's provider name (openai, deepseek...), for the config key `providers.<provider>.apiKey`. */
    readonly provider = "<provider>",
  ) {
    super(
      `Model ${modelId} needs an API key: set ${environmentVariable}, or put it in $TANSUO_HOME/config.json ` +
        `under providers.${provider}.apiKey.`,
    );
  }
}
