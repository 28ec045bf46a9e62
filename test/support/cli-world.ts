import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cliSandbox } from "./cli-process.ts";
import { type DeepSeekServerOptions, type RecordedRequest, startDeepSeekServer } from "./deepseek-server/index.ts";

export type WireMessage = { role: string; content: unknown };

/** The chat-completions requests a server received, in order. */
export const chatRequests = (requests: readonly RecordedRequest[]) =>
  requests.filter((request) => request.path.endsWith("/chat/completions"));

/** The messages a chat-completions request sent. */
export const messagesOf = (request: RecordedRequest) => (request.body as { messages: WireMessage[] }).messages;

/**
 * What a CLI test of a DeepSeek-model run needs: a DeepSeek-format server with the key, a sandbox (home and
 * workspace, with `files` written into it), and the environment that points `deepseek-*` models at the server.
 * `onCleanup` gets what must be undone after the test.
 */
export async function deepSeekCliWorld(
  apiKey: string,
  onCleanup: (cleanup: () => Promise<void> | void) => void,
  options: DeepSeekServerOptions & { files?: Record<string, string> } = {},
) {
  const { files, ...serverOptions } = options;
  const server = await startDeepSeekServer({ apiKey, ...serverOptions });
  const sandbox = cliSandbox();
  mkdirSync(sandbox.workspace, { recursive: true });
  onCleanup(() => server.close());
  onCleanup(() => rmSync(sandbox.folder, { recursive: true, force: true }));
  for (const [name, content] of Object.entries(files ?? {})) {
    mkdirSync(path.dirname(path.join(sandbox.workspace, name)), { recursive: true });
    writeFileSync(path.join(sandbox.workspace, name), content);
  }
  const env: Record<string, string> = {
    TANSUO_HOME: sandbox.home,
    DEEPSEEK_API_KEY: apiKey,
    DEEPSEEK_BASE_URL: server.url,
    TANSUO_RETRY_SCALE: "0.01",
  };
  return { server, sandbox, env };
}
