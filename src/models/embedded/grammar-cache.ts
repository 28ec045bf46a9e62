import type { Llama, LlamaGrammar } from "node-llama-cpp";

// An agent sends the same tools on every step, so the same grammar text comes back again and again.
const capacity = 8;

/** Compiled grammars by their text, the most recently used kept. */
export class GrammarCache {
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();

  constructor(private readonly llama: Llama) {}

  get(text: string): Promise<LlamaGrammar> {
    let grammar = this.grammars.get(text);
    if (grammar) this.grammars.delete(text);
    else {
      grammar = this.llama.createGrammar({ grammar: text });
      grammar.catch(() => this.grammars.delete(text));
    }
    this.grammars.set(text, grammar);
    const oldest = this.grammars.keys().next().value;
    if (this.grammars.size > capacity && oldest !== undefined) this.grammars.delete(oldest);
    return grammar;
  }
}
