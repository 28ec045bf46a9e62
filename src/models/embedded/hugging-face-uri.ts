import { InvalidModelSpecError } from "./embedded-errors.ts";

/** One file in a Hugging Face model repository. */
export interface HuggingFaceFile {
  user: string;
  repository: string;
  /** Path inside the repository, e.g. "qwen2.5-1.5b-instruct-q4_k_m.gguf" or "Q4_K_M/model.gguf". */
  file: string;
}

export const huggingFaceBaseUrl = "https://huggingface.co";

/** The file an `hf:<user>/<repo>/<file>.gguf` URI names, or undefined when the spec is not an hf: URI. */
export function parseHuggingFaceUri(spec: string): HuggingFaceFile | undefined {
  if (!spec.startsWith("hf:")) return undefined;
  const [user, repository, ...fileParts] = spec.slice("hf:".length).split("/");
  const file = fileParts.join("/");
  const valid = [user, repository, ...fileParts].every((part) => part !== "" && part !== "." && part !== "..");
  if (!user || !repository || !valid || !file.toLowerCase().endsWith(".gguf")) throw new InvalidModelSpecError(spec);
  return { user, repository, file };
}

/** Where the file is downloaded from; `baseUrl` is replaceable so tests can serve the file locally. */
export function huggingFaceDownloadUrl(source: HuggingFaceFile, baseUrl = huggingFaceBaseUrl): string {
  const segments = [source.user, source.repository, "resolve", "main", ...source.file.split("/")];
  return `${baseUrl.replace(/\/+$/, "")}/${segments.map(encodeURIComponent).join("/")}`;
}

const splitPartPattern = /-(\d{5})-of-(\d{5})\.gguf$/i;

/** Every part's file name of a split GGUF (model-00001-of-00003.gguf, ...), or the one name of an unsplit file. */
export function splitPartFileNames(fileName: string): string[] {
  const match = fileName.match(splitPartPattern);
  const parts = Number(match?.[2]);
  if (!match || !(parts > 0)) return [fileName];
  const stem = fileName.slice(0, fileName.length - match[0].length);
  return Array.from(
    { length: parts },
    (_, index) => `${stem}-${String(index + 1).padStart(5, "0")}-of-${match[2]}.gguf`,
  );
}
