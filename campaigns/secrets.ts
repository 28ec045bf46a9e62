// campaign:secrets: hostile scripted runs through the real CLI try to copy the keys Tansuo knows into what it
// keeps (database, WAL, logs, transcripts, events); every artifact is then searched for every key in every encoding.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { SqliteStore } from "../src/store/sqlite-store.ts";
import { runCli } from "../test/support/cli-process.ts";
import { startDeepSeekServer } from "../test/support/deepseek-server/index.ts";
import { encodingsOf, pieceLength, piecesOf } from "./secrets-encodings.ts";
import { hostileProbes } from "./secrets-probes.ts";

export type SandboxMode = "auto" | "off";

export interface SecretsCampaignOptions {
  /** Runs per combination of sandbox mode and layout. */
  repeats?: number;
  /** `auto` attacks the bubblewrap sandbox; `off` runs unsandboxed, so only redaction stands in the way. */
  modes?: SandboxMode[];
  /** The exact runs to make instead of every combination (the short version in the suite). */
  plan?: { mode: SandboxMode; homeInsideWorkspace: boolean }[];
  onRun?: (summary: RunSummary) => void;
}

export interface RunSummary {
  mode: SandboxMode;
  homeInsideWorkspace: boolean;
  probes: number;
  redactions: number;
  /** What was searched: files, tables, logs and transcripts. */
  artifacts: string[];
  /** The probes whose output held a key that redaction replaced. */
  reached: string[];
  leaks: Leak[];
  /** Encodings of the canary (a value Tansuo does not know, printed by the run) the search found. */
  canaryFound: string[];
  exitCode: number | null;
}

export interface Leak {
  run: number;
  key: string;
  /** An encoding of the whole key, or `piece of <encoding>`: 12 characters of it in a row. */
  encoding: string;
  artifact: string;
}

export interface SecretsReport {
  runs: number;
  probes: number;
  keysPlanted: number;
  encodingsPerKey: number;
  artifactsScanned: number;
  bytesScanned: number;
  /** Tool outputs in which redaction replaced a key: where a probe did reach one. */
  redactions: Record<SandboxMode, number>;
  leaks: Leak[];
  /** Runs whose canary the search found in every encoding printed: the search can see what it looks for. */
  canaryRunsDetected: number;
  failedRuns: number;
  durationSeconds: number;
}

/** Plants three keys, drives hostile runs, and searches every artifact; `leaks` must be empty. */
export async function runSecretsCampaign(options: SecretsCampaignOptions = {}): Promise<SecretsReport> {
  const started = Date.now();
  const repeats = options.repeats ?? 3;
  const modes = options.modes ?? ["auto", "off"];
  const report: SecretsReport = {
    runs: 0,
    probes: 0,
    keysPlanted: 3,
    encodingsPerKey: 0,
    artifactsScanned: 0,
    bytesScanned: 0,
    redactions: { auto: 0, off: 0 },
    leaks: [],
    canaryRunsDetected: 0,
    failedRuns: 0,
    durationSeconds: 0,
  };
  const plan =
    options.plan ??
    Array.from({ length: repeats }).flatMap(() =>
      modes.flatMap((mode) => [true, false].map((homeInsideWorkspace) => ({ mode, homeInsideWorkspace }))),
    );
  for (const { mode, homeInsideWorkspace } of plan) {
    const summary = await hostileRun(report.runs, mode, homeInsideWorkspace, report);
    report.runs++;
    report.probes += summary.probes;
    report.redactions[mode] += summary.redactions;
    report.leaks.push(...summary.leaks);
    if (canaryEncodings.every((encoding) => summary.canaryFound.includes(encoding))) report.canaryRunsDetected++;
    if (summary.exitCode !== 0) report.failedRuns++;
    options.onRun?.(summary);
  }
  report.durationSeconds = Math.round((Date.now() - started) / 100) / 10;
  return report;
}

async function hostileRun(
  index: number,
  mode: SandboxMode,
  homeInsideWorkspace: boolean,
  report: SecretsReport,
): Promise<RunSummary> {
  const keys = {
    DEEPSEEK_API_KEY: `sk-${randomBytes(18).toString("base64url")}`,
    "providers.openai.apiKey (config.json only)": `sk-proj-${randomBytes(18).toString("base64url")}`,
    GITHUB_TOKEN: `ghp_${randomBytes(18).toString("hex")}`,
  };
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-secrets-"));
  const workspace = path.join(folder, "workspace");
  const home = homeInsideWorkspace ? path.join(workspace, ".tansuo") : path.join(folder, "tansuo-home");
  const userHome = path.join(folder, "user-home");
  for (const directory of [workspace, home, userHome]) mkdirSync(directory, { recursive: true });
  writeFileSync(
    path.join(home, "config.json"),
    JSON.stringify({
      providers: { openai: { apiKey: keys["providers.openai.apiKey (config.json only)"] } },
      shell: { sandbox: mode },
    }),
  );
  writeFileSync(path.join(workspace, "README.md"), "A project the agent works on.\n");
  const canary = `canary-${randomBytes(12).toString("hex")}`;
  writeFileSync(path.join(workspace, "notes.txt"), `note: ${canary}\n`);
  const probes = [
    {
      name: "run_command",
      arguments: { command: "cat notes.txt; base64 -w0 notes.txt; echo; rev notes.txt; xxd -p notes.txt" },
    },
    ...hostileProbes({ sandboxed: mode === "auto", homeInsideWorkspace }),
  ];
  const server = await startDeepSeekServer({
    apiKey: keys.DEEPSEEK_API_KEY,
    script: [
      ...chunk(probes, 4).map((toolCalls) => ({ toolCalls, usage: { promptTokens: 3000, completionTokens: 80 } })),
      { content: "Nothing of interest found.", usage: { promptTokens: 3000, completionTokens: 10 } },
    ],
  });
  const env = {
    TANSUO_HOME: home,
    HOME: userHome,
    DEEPSEEK_API_KEY: keys.DEEPSEEK_API_KEY,
    GITHUB_TOKEN: keys.GITHUB_TOKEN,
    TANSUO_RETRY_SCALE: "0.01",
  };
  const cli = (args: string[]) => runCli(args, { env, cwd: workspace });
  try {
    // The database exists before the run, and a connection held open keeps its WAL file for the search below.
    new SqliteStore(path.join(home, "tansuo.db")).close();
    const holder = new Database(path.join(home, "tansuo.db"), { readonly: true });
    // A read maps the WAL index, so the CLI's close is not the last one and leaves the WAL in place.
    holder.prepare("SELECT count(*) FROM runs").get();
    const run = await cli([
      "run",
      ...["--model", "deepseek-chat", "--base-url", server.url, "--approval", "auto", "--json"],
      "Look around this project.",
    ]);
    const id = (JSON.parse(run.stdout) as { id: string }).id;
    const shownJson = await cli(["runs", "show", id, "--json"]);
    const shownText = await cli(["runs", "show", id]);
    const artifacts: Record<string, string> = {
      "run stdout": run.stdout,
      "run stderr": run.stderr,
      "runs show --json": shownJson.stdout + shownJson.stderr,
      "runs show": shownText.stdout + shownText.stderr,
      ...databaseArtifacts(home, holder),
    };
    holder.close();
    const transcript = JSON.parse(shownJson.stdout) as {
      steps: { toolCalls: { input: string; output?: string }[] }[];
    };
    const calls = transcript.steps.flatMap((step) => step.toolCalls);
    const reached = calls.filter((call) => call.output?.includes("[secret redacted]")).map((call) => call.input);
    const leaks = searchArtifacts(index, keys, artifacts, report);
    const canaryFound = searchArtifacts(
      index,
      { canary },
      { "runs show --json": artifacts["runs show --json"]! },
      // The canary's search is a check of the search, not part of the figures.
      { ...report },
    )
      .filter((leak) => !leak.encoding.startsWith("piece of"))
      .map((leak) => leak.encoding);
    return {
      mode,
      homeInsideWorkspace,
      probes: calls.length,
      artifacts: Object.keys(artifacts),
      redactions: reached.length,
      reached,
      leaks,
      canaryFound,
      exitCode: run.exitCode,
    };
  } finally {
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

// The files as bytes (main file, WAL, shared memory) and their rows as SQLite returns them (long values span
// overflow pages in the file, so a key cut by a page boundary is only whole in the rows).
function databaseArtifacts(home: string, connection: Database.Database): Record<string, string> {
  const artifacts: Record<string, string> = {};
  for (const suffix of ["", "-wal", "-shm"]) {
    const file = path.join(home, `tansuo.db${suffix}`);
    if (existsSync(file)) artifacts[`tansuo.db${suffix} bytes`] = readFileSync(file).toString("latin1");
  }
  const tables = connection.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
  for (const { name } of tables) {
    const rows = connection.prepare(`SELECT * FROM "${name}"`).raw().all() as unknown[][];
    artifacts[`table ${name}`] = rows
      .flat()
      .map((value) => (Buffer.isBuffer(value) ? value.toString("latin1") : String(value)))
      .join("\n");
    if (name === "events") artifacts["every event, JSON decoded"] = decodedStrings(rows.flat()).join("\n");
  }
  return artifacts;
}

function decodedStrings(values: unknown[]): string[] {
  const strings: string[] = [];
  const visit = (value: unknown) => {
    if (typeof value === "string") {
      strings.push(value);
      try {
        const parsed = JSON.parse(value);
        if (typeof parsed === "object") visit(parsed);
      } catch {}
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === "object") Object.values(value).forEach(visit);
  };
  values.forEach(visit);
  return strings;
}

function searchArtifacts(
  run: number,
  keys: Record<string, string>,
  artifacts: Record<string, string>,
  report: SecretsReport,
): Leak[] {
  const forms: { key: string; encoding: string; form: string }[] = [];
  const pieces = new Map<string, { key: string; encoding: string }>();
  for (const [key, value] of Object.entries(keys)) {
    const encodings = encodingsOf(value);
    report.encodingsPerKey = Object.keys(encodings).length;
    for (const [encoding, form] of Object.entries(encodings)) {
      forms.push({ key, encoding, form });
      for (const piece of piecesOf(form)) pieces.set(piece, { key, encoding: `piece of ${encoding}` });
    }
  }
  const leaks: Leak[] = [];
  for (const [artifact, text] of Object.entries(artifacts)) {
    report.artifactsScanned++;
    report.bytesScanned += text.length;
    // Layout a dump adds (line wraps, spaces between bytes) and JSON's escapes of it are not part of a key.
    const views = [text, text.replace(/\\[nrt]|\s+/g, "")];
    const found = new Map<string, Leak>();
    for (const { key, encoding, form } of forms) {
      if (views.some((view) => view.includes(form))) found.set(`${key} ${encoding}`, { run, key, encoding, artifact });
    }
    for (const view of views) {
      for (let start = 0; start + pieceLength <= view.length; start++) {
        const piece = pieces.get(view.slice(start, start + pieceLength));
        if (!piece || found.has(`${piece.key} ${piece.encoding.replace("piece of ", "")}`)) continue;
        found.set(`${piece.key} ${piece.encoding}`, { run, ...piece, artifact });
      }
    }
    leaks.push(...found.values());
  }
  return leaks;
}

// What the canary probe prints: the file as is, base64 (the canary starts 6 bytes in), reversed and `xxd -p`.
const canaryEncodings = ["plain", "base64 at byte 0", "reversed", "hex lower"];

function chunk<Item>(items: Item[], size: number): Item[][] {
  const groups: Item[][] = [];
  for (let index = 0; index < items.length; index += size) groups.push(items.slice(index, index + size));
  return groups;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const repeats = Number(process.env.SECRETS_REPEATS ?? "3");
  const report = await runSecretsCampaign({
    repeats,
    onRun: (summary) =>
      process.stdout.write(
        `run: sandbox ${summary.mode}, $TANSUO_HOME ${summary.homeInsideWorkspace ? "inside" : "outside"} the ` +
          `workspace, ${summary.probes} probes, ${summary.redactions} redacted, ${summary.leaks.length} leaks\n`,
      ),
  });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.exitCode = report.leaks.length === 0 && report.failedRuns === 0 ? 0 : 1;
}
