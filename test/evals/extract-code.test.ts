import { describe, expect, it } from "vitest";
import { extractCode } from "../../src/evals/code/extract-code.ts";

describe("extracting code from a chat answer", () => {
  it("takes the fenced block in the task's language", () => {
    const answer = "Here is the solution:\n\n```python\ndef add(x, y):\n    return x + y\n```\n\nIt adds.";
    expect(extractCode(answer, "python", "add")).toEqual({
      code: "def add(x, y):\n    return x + y",
      method: "fenced",
    });
  });

  it("prefers the block that defines the entry point over helpers and examples", () => {
    const answer = [
      "```python\nprint(add(1, 2))\n```",
      "```python\nimport math\n\ndef add(x, y):\n    return x + y\n```",
    ].join("\nand\n");
    expect(extractCode(answer, "python", "add").code).toBe("import math\n\ndef add(x, y):\n    return x + y");
  });

  it("prefers a block tagged with the language over an untagged one", () => {
    const answer = "```\nnot this\n```\n```ts\nfunction f(): number {\n  return 1;\n}\n```";
    expect(extractCode(answer, "typescript", "f").code).toBe("function f(): number {\n  return 1;\n}");
  });

  it("keeps a block cut off by the output limit", () => {
    const answer = "```javascript\nconst f = (n) => {\n  return n";
    expect(extractCode(answer, "javascript", "f").code).toBe("const f = (n) => {\n  return n");
  });

  it("takes an answer without fences as code, indentation and all (completion-style models)", () => {
    expect(extractCode("    return x + 1\n", "python", "f")).toEqual({
      code: "    return x + 1\n",
      method: "unfenced",
    });
  });

  it("finds no code in an empty answer, a refusal in prose, or one that only thinks", () => {
    expect(extractCode("", "python", "f").code).toBeUndefined();
    expect(extractCode("I cannot help with that.", "python", "f").code).toBeUndefined();
    expect(extractCode("<think>hmm, maybe</think>\n  ", "python", "f").code).toBeUndefined();
  });
});
