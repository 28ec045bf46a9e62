import { startDeepSeekServer } from "../../test/support/deepseek-server/index.ts";
import { agentScript } from "./agent-script.ts";

/**
 * The DeepSeek-format test server in a process of its own, so its work does not share the event loop being
 * measured: every chat call answers after the delay given as the first argument. Prints `{"url": ...}` when
 * listening and `{"requests": n}` (calls since the last count) for each "count" message; ends on SIGTERM or when the parent goes.
 */
const delayMs = Number(process.argv[2] ?? 200);
const server = await startDeepSeekServer(agentScript(delayMs));
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
let counted = 0;
process.on("message", (message) => {
  // Calls since the last count.
  if (message !== "count") return;
  process.send?.({ requests: server.requests.length - counted });
  counted = server.requests.length;
});
process.on("disconnect", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
