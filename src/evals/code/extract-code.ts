import type { CodeLanguage } from "./code-task.ts";

export type Extraction = { code: string; method: "fenced" | "unfenced" } | { code: undefined; reason: string };

const languageTags: Record<CodeLanguage, string[]> = {
  python: ["python", "py", "python3"],
  typescript: ["typescript", "ts", "tsx"],
  javascript: ["javascript", "js", "jsx", "node", "mjs", "cjs"],
};

interface FencedBlock {
  tag: string;
  body: string;
}

// An opening fence, its info string, then the body up to a closing fence or, for a cut-off answer, the end.
const fencePattern = /^[ \t]*(`{3,}|~{3,})[ \t]*([\w+#.-]*)[^\n]*\n([\s\S]*?)(?:^[ \t]*\1[ \t]*$|(?![\s\S]))/gm;

function fencedBlocks(answer: string): FencedBlock[] {
  return [...answer.matchAll(fencePattern)].map((match) => ({
    tag: (match[2] ?? "").toLowerCase(),
    body: (match[3] ?? "").replace(/\n$/, ""),
  }));
}

const declares = (code: string, entryPoint: string) =>
  new RegExp(`(?:def|function|const|let|var)\\s+${entryPoint.replace(/\$/g, "\\$")}\\b`).test(code);

// Unfenced text counts as code when some line is indented (a continuation of the prompt), starts like a
// statement, or carries code punctuation; a plain sentence such as "I cannot help with that." does not.
const looksLikeCode = (text: string) =>
  /^[ \t]+\S/m.test(text) ||
  /^\s*(?:return|def|function|const|let|var|import|from|class|if|for|while|async|export)\b/m.test(text) ||
  /=>|[;{}]|[^=!<>]=[^=]/.test(text);

// Some local models inline their reasoning; it is never code.
const withoutThinking = (answer: string) => answer.replace(/<think>[\s\S]*?(?:<\/think>|$)/g, "");

/**
 * The code in a model's answer, as EvalPlus and the chat harnesses take it: the fenced block in the task's language
 * that defines the entry point (else the first such block, else any block); an answer without fences is code as is
 * when it looks like code at all.
 */
export function extractCode(answer: string, language: CodeLanguage, entryPoint: string): Extraction {
  const text = withoutThinking(answer);
  const blocks = fencedBlocks(text).filter((block) => block.body.trim() !== "");
  if (blocks.length > 0) {
    const tagged = blocks.filter((block) => languageTags[language].includes(block.tag));
    const untagged = blocks.filter((block) => block.tag === "");
    const pool = tagged.length > 0 ? tagged : untagged.length > 0 ? untagged : blocks;
    const chosen = pool.find((block) => declares(block.body, entryPoint)) ?? pool[0];
    if (chosen) return { code: chosen.body, method: "fenced" };
  }
  if (text.trim() === "" || !looksLikeCode(text)) return { code: undefined, reason: "the answer holds no code" };
  return { code: text, method: "unfenced" };
}
