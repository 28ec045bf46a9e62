import { existsSync } from "node:fs";
import path from "node:path";
import { knownModelFiles } from "./default-model.ts";
import type { ExpectedFile } from "./download-file.ts";
import { type DownloadedFile, DownloadFailure, type DownloadProgress, downloadModelFiles } from "./download-file.ts";
import { InvalidModelSpecError, ModelDownloadError, ModelFileNotFoundError } from "./embedded-errors.ts";
import { huggingFaceDownloadUrl, parseHuggingFaceUri, splitPartFileNames } from "./hugging-face-uri.ts";

export interface ResolveModelSourceOptions {
  /** Where downloaded models are kept, normally $TANSUO_HOME/models. */
  modelsDirectory: string;
  onProgress?: (progress: DownloadProgress) => void;
  /** Replaces https://huggingface.co, e.g. with a mirror or a local test server. */
  downloadBaseUrl?: string;
  /** Overrides the checksum known for the URI, if any (a single-file model). */
  expectedSha256?: string;
  /** The checksums of the URI's files (each part of a split model), when known. */
  expectedFiles?: readonly ExpectedFile[];
  /** Relative model paths are read from here; defaults to the process's working directory. */
  workingDirectory?: string;
  connectTimeoutMilliseconds?: number;
  stallTimeoutMilliseconds?: number;
  /** Told of each file once it is downloaded and checked (not called for a file already in place). */
  onDownloaded?: (files: readonly DownloadedFile[]) => void;
  signal?: AbortSignal;
}

/**
 * The local path of a model spec: a path to a .gguf file, or an hf:<user>/<repo>/<file>.gguf URI whose file
 * (every part, for a split model) is taken from the models directory or downloaded there first.
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
  // Files already in place are trusted: hashing gigabytes on every start would cost seconds.
  if (splitPartFileNames(fileName).every((part) => existsSync(path.join(options.modelsDirectory, part)))) {
    return destination;
  }
  const url = huggingFaceDownloadUrl(source, options.downloadBaseUrl);
  try {
    const files = await downloadModelFiles({
      uri: spec,
      modelsDirectory: options.modelsDirectory,
      fileName,
      probeUrl: url,
      huggingFaceEndpoint: options.downloadBaseUrl,
      expectedFiles: expectedFilesOf(spec, fileName, options),
      onProgress: options.onProgress,
      connectTimeoutMilliseconds: options.connectTimeoutMilliseconds,
      stallTimeoutMilliseconds: options.stallTimeoutMilliseconds,
      signal: options.signal,
    });
    options.onDownloaded?.(files);
  } catch (error) {
    if (error instanceof DownloadFailure) {
      throw new ModelDownloadError(url, fileName, options.modelsDirectory, error.message, error, error.partialKept);
    }
    throw error;
  }
  return destination;
}

function expectedFilesOf(
  spec: string,
  fileName: string,
  options: ResolveModelSourceOptions,
): readonly ExpectedFile[] | undefined {
  if (options.expectedSha256) return [{ fileName, sha256: options.expectedSha256 }];
  if (options.expectedFiles) return options.expectedFiles;
  const known = knownModelFiles.get(spec);
  return known?.sha256 ? [{ fileName: known.fileName, sha256: known.sha256 }] : undefined;
}
