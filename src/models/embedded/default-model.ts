/** A downloadable model file with what is known about it. */
export interface KnownModelFile {
  uri: string;
  fileName: string;
  sizeBytes: number | undefined;
  /** Hex sha256 of the file; undefined when not known, and then the download is not checked. */
  sha256: string | undefined;
}

/**
 * The model used when none is named. Qwen2.5-1.5B-Instruct scores 79.10 on BFCL v3 non-live AST (see
 * shared/README.md) in a 1.12 GB Q4_K_M file, about 71 points per GB, and runs on a laptop CPU.
 */
export const defaultEmbeddedModel: KnownModelFile = {
  uri: "hf:Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf",
  fileName: "qwen2.5-1.5b-instruct-q4_k_m.gguf",
  // Size and sha256 as published for this file by Hugging Face and quoted alike by several independent projects.
  sizeBytes: 1_117_320_736,
  sha256: "6a1a2eb6d15622bf3c96857206351ba97e1af16c30d7a74ee38970e434e9407e",
};

/** Files whose checksum is known, by hf: URI. */
export const knownModelFiles: ReadonlyMap<string, KnownModelFile> = new Map([
  [defaultEmbeddedModel.uri, defaultEmbeddedModel],
]);
