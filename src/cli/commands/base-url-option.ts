import { Option } from "commander";
import { baseUrlWithoutCredentials } from "../option-parsers.ts";

/** `--base-url` of `run` and `chat`: one spelling, one check (no credentials in a URL stored with the run). */
export const baseUrlOption = (): Option =>
  new Option("--base-url <url>", "OpenAI-compatible base URL for the model").argParser(baseUrlWithoutCredentials);
