import { createRequire } from "node:module";
import type * as TypeScript from "typescript";

const require = createRequire(import.meta.url);
let loaded: typeof TypeScript | undefined;

/** The TypeScript compiler, loaded on first use: it is large and only the JS/TS suites need it. */
export function typescript(): typeof TypeScript {
  loaded ??= require("typescript") as typeof TypeScript;
  return loaded;
}

export const typescriptModulePath = (): string => require.resolve("typescript");
