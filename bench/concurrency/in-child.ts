import { measureHttpBaseline } from "./http-baseline.ts";
import { measureSqliteRuns } from "./sqlite-runs.ts";

/**
 * A mode measured in a process of its own (so each starts from a clean heap): `in-child.ts <http|sqlite> <runs>
 * <model url>`. The parent answers "count" messages with the server's call count; the result is one JSON line.
 */
const [mode, runs, modelUrl] = process.argv.slice(2);
const countCalls = () =>
  new Promise<number>((resolve) => {
    process.once("message", (answer) => resolve((answer as { requests: number }).requests));
    process.send?.("count");
  });
const measure = mode === "http" ? measureHttpBaseline : measureSqliteRuns;
const result = await measure({ runs: Number(runs), modelUrl: modelUrl!, countCalls });
process.stdout.write(`${JSON.stringify(result)}\n`);
process.disconnect?.();
