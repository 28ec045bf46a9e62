import { spawn } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import type { CliContext } from "../cli-context.ts";
import { port, repeated, type ServeServices, serveUntilStopped, startCliGateway } from "./serve.ts";

const defaultUiPort = 7878;

/** The program that opens a URL in the desktop's browser, if this machine has one on PATH. */
function urlOpener(): string | undefined {
  const name = process.platform === "darwin" ? "open" : process.platform === "win32" ? undefined : "xdg-open";
  if (!name) return undefined;
  for (const folder of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

/** `tansuo ui`: the run viewer on this machine's database, on 127.0.0.1 only, opened in the browser. */
export function createUiCommand(context: CliContext, services: ServeServices = {}): Command {
  return new Command("ui")
    .description("Open the run viewer in the browser on the local database (127.0.0.1 only)")
    .option("--port <n>", "port to listen on (0 picks a free one)", port, defaultUiPort)
    .option("--no-open", "print the URL without opening a browser")
    .option(
      "--evals <dir>",
      "show the eval results under this folder (repeatable; default ./evals if it exists)",
      repeated,
    )
    .action(async (options: { port: number; open: boolean; evals?: string[] }) => {
      const evals = options.evals ?? (existsSync("evals") ? [path.resolve("evals")] : []);
      const server = await startCliGateway(context, { host: "127.0.0.1", port: options.port, evals });
      context.stdout.write(`Tansuo viewer on ${server.url}/ (Ctrl-C stops it)\n`);
      if (options.open) {
        const opener = urlOpener();
        if (opener) {
          const child = spawn(opener, [`${server.url}/`], { detached: true, stdio: "ignore" });
          child.on("error", () => {});
          child.unref();
        } else {
          context.stdout.write(`No xdg-open or open here: open ${server.url}/ in a browser.\n`);
        }
      }
      await serveUntilStopped(context, server, services);
    });
}
