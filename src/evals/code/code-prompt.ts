import type { CodeTask } from "./code-task.ts";

const instructions: Record<CodeTask["language"], { fence: string; text: string }> = {
  python: {
    fence: "python",
    text: "Complete the following Python function. Reply with the complete function, and any imports it needs, in a single ```python code block.",
  },
  typescript: {
    fence: "typescript",
    text: "Complete the following TypeScript function. It is compiled with `tsc --target esnext` (a type error fails) and run with Node.js. Reply with the complete function in a single ```typescript code block.",
  },
  javascript: {
    fence: "javascript",
    text: "Complete the following JavaScript function. It is run with Node.js as a CommonJS script. Reply with the complete function in a single ```javascript code block.",
  },
};

/** The user message for a code task, in the style of EvalPlus's instruction prompt for chat models. */
export function codePrompt(task: CodeTask): string {
  const { fence, text } = instructions[task.language];
  return `${text}\n\n\`\`\`${fence}\n${task.prompt}\n\`\`\`\n`;
}
