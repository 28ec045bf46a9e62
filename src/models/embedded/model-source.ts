import { existsSync } from "node:fs";
import path from "node:path";
import { knownModelFiles } from "./default-model.ts";
import { DownloadFailure, type DownloadProgress, downloadFile } from "./download-file.ts";
import { InvalidModelSpecError, ModelDownloadError, ModelFileNotFoundError } from "./embedded-errors.ts";
import { huggingFaceDownloadUrl, parseHuggingFaceUri } from "./hugging-face-uri.ts";

export interface ResolveModelSourceOptions {
  /** Where downloaded models are kept, normally $TANSUO_HOME/models. */
  modelsDirectory: string;
  onProgress?: (progress: DownloadProgress) => void;
  /** Replaces https://huggingface.co, e.g. with a mirror or a local test server. */
  downloadBaseUrl?: string;
  /** Overrides the checksum known for the URI, if any. */
  expectedSha256?: string;
  /** Relative model paths are read from here; defaults to the process's working directory. */
  workingDirectory?: string;
  connectTimeoutMilliseconds?: number;
  signal?: AbortSignal;
}

/**
 * The local path of a model spec: a path to a .gguf file, or an hf:<user>/<repo>/<file>.gguf URI whose file
 * is taken from the models directory or downloaded there first.
 */
export async function resolveModelSource(spec: string, options: ResolveModelSourceOptions): Promise<string> {
  const source = parseHuggingFaceUri(spec);
  if (!source) {
    if (spec.trim() === "") throw new InvalidModelSpecError(spec);
    const modelPath = path.resolve(options.workingDirectory ?? process.cwd(), spec);
    if (!existsSync(modelPath)) throw new ModelFileNotFoundError(modelPath);
    return modelPath;
  }
  const fileName = path.basename(source.file);
  const destination = path.join(options.modelsDirectory, fileName);
  // A file already in place is trusted: hashing a gigabyte on every start would cost seconds.
  if (existsSync(destination)) return destination;
  const known = knownModelFiles.get(spec);
  const url = huggingFaceDownloadUrl(source, options.downloadBaseUrl);
  try {
    await downloadFile({
      url,
      destination,
      expectedSha256: options.expectedSha256 ?? known?.sha256,
      expectedSizeBytes: known?.sizeBytes,
      onProgress: options.onProgress,
      connectTimeoutMilliseconds: options.connectTimeoutMilliseconds,
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DownloadFailure) {
      throw new ModelDownloadError(url, fileName, options.modelsDirectory, error.message, error);
    }
    throw error;
  }
  return destination;
}
