/** The catalog's `tokenizer` values: a family's published tokenizer, or the embedded model's own. */
export const tokenizerNames = ["deepseek-v3", "o200k_base", "cl100k_base", "embedded"] as const;
export type TokenizerName = (typeof tokenizerNames)[number];
