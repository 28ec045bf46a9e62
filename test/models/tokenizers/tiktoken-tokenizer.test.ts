import { describe, expect, it } from "vitest";
import type { MessageText } from "../../../src/models/tokenizers/prompt-text.ts";
import { loadTiktokenTokenizer } from "../../../src/models/tokenizers/tiktoken-tokenizer.ts";

const userSaying = (text: string): MessageText[] => [{ role: "user", texts: [text], toolCalls: [], images: 0 }];

const tokenizers = {
  o200k_base: await loadTiktokenTokenizer("o200k_base"),
  cl100k_base: await loadTiktokenTokenizer("cl100k_base"),
};

describe("tiktoken tokenizers", () => {
  // "hello world" is two tokens ("hello", " world") in both encodings, as OpenAI's tokenizer page shows.
  it.each(["o200k_base", "cl100k_base"] as const)("%s counts the text of 'hello world' as 2 tokens", (name) => {
    const tokenizer = tokenizers[name];
    expect(tokenizer.name).toBe(name);
    const framing = tokenizer.countPrompt(userSaying(""), undefined);
    expect(tokenizer.countPrompt(userSaying("hello world"), undefined) - framing).toBe(2);
    expect(tokenizer.countAppended(userSaying("hello world")) - tokenizer.countAppended(userSaying(""))).toBe(2);
  });

  // OpenAI's cookbook (How to count tokens with tiktoken): 3 tokens per message, its role, its content, 3 to prime the answer.
  it("frames a chat message as OpenAI's published accounting does", () => {
    const tokenizer = tokenizers.o200k_base;
    expect(tokenizer.countPrompt(userSaying("hello world"), undefined)).toBe(3 + 1 + 2 + 3);
  });
});
