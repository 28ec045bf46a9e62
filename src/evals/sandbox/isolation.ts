import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { namespaceScript, plainScript } from "./sandbox-scripts.ts";

/**
 * What keeps a generated program from harming the machine, best first:
 * `namespaces`: no network, read-only file system except its folder, its own process tree, no capabilities;
 * `network`: no network only; `none`: a process group, limits and a time limit only.
 */
export type IsolationLevel = "namespaces" | "network" | "none";

export interface Isolation {
  level: IsolationLevel;
  /**
   * argv placed before the program: namespace entry and a set-up script that takes the folder, the limits and
   * then the program (see sandbox-scripts.ts).
   */
  wrapper: string[];
  /** The program runs as a child of the namespace's shell, which reports a signal N as exit status 128 + N. */
  reportsSignalsAsStatus: boolean;
  /** setpriv exists: capabilities are dropped before the program starts. */
  hasSetpriv: boolean;
  description: string;
}

const hasCommand = (name: string) => spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;

const namespaceFlags = [
  "--net",
  "--mount",
  "--pid",
  "--fork",
  "--kill-child",
  "--mount-proc",
  "--propagation",
  "private",
];

function runsCleanly(argv: string[], folder: string): Promise<boolean> {
  return new Promise((resolve) => {
    const [command, ...args] = argv;
    if (!command) return resolve(false);
    const child = spawn(command, args, { stdio: "ignore", cwd: folder });
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.on("error", () => resolve(false));
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

const plain = ["/bin/sh", "-c", plainScript, "tansuo-sandbox"];

/** The weakest level, used where unshare is missing or refused: folder, limits, time limit and process group. */
export const plainIsolation = (hasSetpriv = false): Isolation => ({
  level: "none",
  wrapper: plain,
  reportsSignalsAsStatus: false,
  hasSetpriv,
  description: "no unshare: network and file system are not isolated",
});

async function detectIsolation(): Promise<Isolation> {
  const hasSetpriv = hasCommand("setpriv");
  const none = plainIsolation(hasSetpriv);
  if (process.platform !== "linux" || !hasCommand("unshare")) return none;
  const mounting = ["--", "/bin/sh", "-c", namespaceScript, "tansuo-sandbox"];
  const candidates: Array<Omit<Isolation, "hasSetpriv">> = [
    {
      level: "namespaces",
      wrapper: ["unshare", ...namespaceFlags, ...mounting],
      reportsSignalsAsStatus: true,
      description: "unshare: no network, read-only file system outside the task folder, own process tree",
    },
    {
      level: "namespaces",
      wrapper: ["unshare", "--user", "--map-root-user", ...namespaceFlags, ...mounting],
      reportsSignalsAsStatus: true,
      description:
        "unshare (user namespace): no network, read-only file system outside the task folder, own process tree",
    },
    {
      level: "network",
      wrapper: ["unshare", "--user", "--map-root-user", "--net", "--", ...plain],
      reportsSignalsAsStatus: false,
      description: "unshare -rn: no network; the file system is not protected",
    },
  ];
  const folder = await mkdtemp(path.join(os.tmpdir(), "tansuo-eval-probe-"));
  try {
    for (const candidate of candidates) {
      if (await runsCleanly([...candidate.wrapper, folder, "1048576", "5", "2048", "true"], folder)) {
        return { ...candidate, hasSetpriv };
      }
    }
    return { ...none, description: "unshare refused: network and file system are not isolated" };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

let detected: Promise<Isolation> | undefined;

/** Probed once per process: the strongest isolation this machine allows. */
export function isolation(): Promise<Isolation> {
  detected ??= detectIsolation();
  return detected;
}
