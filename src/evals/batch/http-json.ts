import { ModelUnavailableError } from "../eval-errors.ts";

/** A batch API request; its text answer, or an error naming the call (a wrong key or host stops the run). */
export async function sendForText(what: string, url: string, init: RequestInit): Promise<string> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (response.ok) return text;
  const message = `${what} answered ${response.status}: ${text.slice(0, 300)}`;
  // A wrong key or a host without the batch API: every retry would say the same.
  if ([401, 403, 404].includes(response.status)) throw new ModelUnavailableError(message);
  throw new Error(message);
}

/** The non-empty lines of a JSONL text, each parsed. */
export const jsonLines = (text: string): unknown[] =>
  text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line));
