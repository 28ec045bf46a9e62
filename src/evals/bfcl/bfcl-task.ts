import type { PythonValue } from "./python-value.ts";

export const bfclCategories = [
  "simple_python",
  "simple_javascript",
  "multiple",
  "parallel",
  "parallel_multiple",
  "irrelevance",
] as const;
export type BfclCategory = (typeof bfclCategories)[number];

/** BFCL's pseudo-JSON-Schema: Python-ish types (`dict`, `float`, `tuple`, `any`) or JavaScript ones (`String`). */
export interface BfclParameter {
  type?: string;
  description?: string;
  items?: BfclParameter;
  properties?: Record<string, BfclParameter>;
  [keyword: string]: unknown;
}

export interface BfclFunction {
  name: string;
  description: string;
  parameters: { type?: string; properties: Record<string, BfclParameter>; required?: string[] };
}

/** One call the answer must make: for each parameter the accepted values, `""` meaning it may be left out. */
export interface BfclExpectedCall {
  name: string;
  parameters: Map<string, PythonValue[]>;
}

export interface BfclTask {
  kind: "bfcl";
  id: string;
  category: BfclCategory;
  messages: Array<{ role: "system" | "user" | "assistant"; content: string }>;
  functions: BfclFunction[];
  /** Absent for irrelevance, where the right answer is to call nothing. */
  expectedCalls?: BfclExpectedCall[];
}
