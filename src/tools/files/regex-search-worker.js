// Runs search_files' regular expressions off the main thread, so a pattern that backtracks for ever can be stopped.
import { parentPort } from "node:worker_threads";

// The last expression is kept: one search sends many files with the same pattern.
let compiled = { key: "", expression: /(?:)/ };

parentPort.on("message", ({ id, pattern, flags, content, limit }) => {
  const key = `${flags}/${pattern}`;
  if (compiled.key !== key) compiled = { key, expression: new RegExp(pattern, flags) };
  const lines = content.split("\n");
  const matches = [];
  for (let index = 0; index < lines.length && matches.length < limit; index++) {
    if (compiled.expression.test(lines[index])) matches.push(index);
  }
  parentPort.postMessage({ id, matches });
});
