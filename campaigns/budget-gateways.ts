// The gateways of campaign:budget, all on one SQLite file: several `startServer` instances in this process (each
// with its own connection), or several real `tansuo serve` child processes.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { settingsSchema } from "../src/config/settings-schema.ts";
import { SqliteStore } from "../src/store/sqlite-store.ts";
import { repositoryRoot } from "../test/support/cli-process.ts";
import { upstreamApiKey } from "./budget-upstream.ts";
import { startCampaignGateway } from "./campaign-model-resolver.ts";

export type Topology = "gateways-in-one-process" | "gateway-processes";

export interface GatewayHandle {
  url: string;
  pid: number;
  /** SIGKILL, for a process; in this process there is nothing to kill. */
  kill?: () => Promise<void>;
  close(): Promise<void>;
}

/** The config both kinds of gateway read: the upstream for deepseek-v4-flash and one auto-approval agent. */
export function gatewayConfig(upstreamUrl: string, outputTokens: number) {
  return {
    models: [{ id: "deepseek-v4-flash", baseUrl: upstreamUrl, defaultOutputTokens: outputTokens }],
    agents: {
      lister: {
        instructions: "List the files, then say you are done.",
        model: "deepseek-v4-flash",
        tools: ["list_files"],
        approval: "auto",
      },
    },
  };
}

export const databaseFile = (home: string) => path.join(home, "tansuo.db");

export async function startGateways(
  topology: Topology,
  home: string,
  count: number,
  config: ReturnType<typeof gatewayConfig>,
): Promise<GatewayHandle[]> {
  mkdirSync(home, { recursive: true });
  writeFileSync(path.join(home, "config.json"), JSON.stringify(config));
  const starts = Array.from({ length: count }, () =>
    topology === "gateway-processes" ? gatewayProcess(home) : gatewayInThisProcess(home, config),
  );
  return Promise.all(starts);
}

async function gatewayInThisProcess(home: string, config: ReturnType<typeof gatewayConfig>): Promise<GatewayHandle> {
  const store = new SqliteStore(databaseFile(home));
  const settings = settingsSchema.parse(config);
  const server = await startCampaignGateway(store, settings, { apiKey: upstreamApiKey, home });
  return {
    url: server.url,
    pid: process.pid,
    close: async () => {
      await server.gateway.agents?.settled();
      await server.close();
      store.close();
    },
  };
}

async function gatewayProcess(home: string): Promise<GatewayHandle> {
  const child = spawn(process.execPath, [path.join(repositoryRoot, "bin/tansuo.js"), "serve", "--port", "0"], {
    cwd: home,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      TANSUO_HOME: home,
      DEEPSEEK_API_KEY: upstreamApiKey,
      TANSUO_RETRY_SCALE: "0.01",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await listeningUrl(child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    url,
    pid: child.pid!,
    kill: async () => {
      child.kill("SIGKILL");
      await exited;
    },
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    let errors = "";
    const timer = setTimeout(() => reject(new Error(`tansuo serve did not start in 30 s: ${errors}`)), 30_000);
    child.stderr?.on("data", (chunk) => {
      errors += chunk;
    });
    child.stdout?.on("data", (chunk) => {
      output += chunk;
      const match = output.match(/listening on (http:\/\/\S+?) /);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`tansuo serve exited (${code}) before it listened: ${errors}`));
    });
  });
}
