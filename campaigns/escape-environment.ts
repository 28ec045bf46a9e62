import { randomBytes } from "node:crypto";
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Workspace } from "../src/tools/workspace.ts";

/**
 * A temp folder with a workspace and canaries around it: files outside the workspace, a $TANSUO_HOME beside it
 * and a hidden folder inside it. Every canary holds a token of its own, in its name and its content.
 */
export interface EscapeEnvironment {
  folder: string;
  root: string;
  outside: string;
  home: string;
  hiddenInside: string;
  /** outside/secret-<token>.txt */
  secretFile: string;
  /** outside/dir, holding inner-<token>.txt and plain.txt */
  outsideFolder: string;
  homeConfig: string;
  hiddenConfig: string;
  /** Tokens in the canaries' content: never in any output. */
  contentTokens: string[];
  /** Tokens in the canaries' names: never in any output except where the attack's own path named them. */
  nameTokens: string[];
  workspace: Workspace;
}

// Lines of system files that must never reach a tool's output either.
const systemCanaries = ["root:x:0:0:"];

export function createEscapeEnvironment(): EscapeEnvironment {
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-escape-"));
  const token = () => `CANARY${randomBytes(6).toString("hex")}`;
  const contentTokens = [token(), token(), token(), token()];
  const nameTokens = [token(), token(), token()];
  const [secretToken, innerToken, homeToken, hiddenToken] = contentTokens as [string, string, string, string];
  const [secretName, innerName, hiddenName] = nameTokens as [string, string, string];
  const root = path.join(folder, "ws");
  const outside = path.join(folder, "outside");
  const outsideFolder = path.join(outside, "dir");
  const home = path.join(folder, "home");
  const hiddenInside = path.join(root, ".tansuo");
  for (const made of [root, outside, outsideFolder, home, hiddenInside, path.join(root, "sub")]) mkdirSync(made);
  const secretFile = path.join(outside, `secret-${secretName}.txt`);
  writeFileSync(secretFile, `${secretToken} old\n`);
  writeFileSync(path.join(outsideFolder, `inner-${innerName}.txt`), `${innerToken} old\n`);
  // A plain name the workspace may hold too, for swaps of a whole folder.
  writeFileSync(path.join(outsideFolder, "plain.txt"), `${innerToken} plain old\n`);
  const homeConfig = path.join(home, "config.json");
  writeFileSync(homeConfig, `{"apiKey":"${homeToken}"} old\n`);
  const hiddenConfig = path.join(hiddenInside, `keys-${hiddenName}.json`);
  writeFileSync(hiddenConfig, `{"apiKey":"${hiddenToken}"} old\n`);
  writeFileSync(path.join(root, "inside.txt"), "inside old\n");
  writeFileSync(path.join(root, "sub", "nested.txt"), "nested old\n");
  const workspace = new Workspace(root, { hiddenPaths: [home, hiddenInside] });
  return {
    folder,
    root: workspace.root,
    outside,
    home,
    hiddenInside,
    secretFile,
    outsideFolder,
    homeConfig,
    hiddenConfig,
    contentTokens,
    nameTokens,
    workspace,
  };
}

export function removeEscapeEnvironment(environment: EscapeEnvironment): void {
  rmSync(environment.folder, { recursive: true, force: true });
}

/** Everything a tool must not read or change: each entry's type, mode and content (or link target). */
export function snapshotCanaries(environment: EscapeEnvironment): Map<string, string> {
  const snapshot = new Map<string, string>();
  for (const top of [environment.outside, environment.home, environment.hiddenInside]) describeTree(top, snapshot);
  return snapshot;
}

function describeTree(file: string, snapshot: Map<string, string>): void {
  const stats = lstatSync(file, { throwIfNoEntry: false });
  if (!stats) return;
  const mode = (stats.mode & 0o7777).toString(8);
  if (stats.isSymbolicLink()) snapshot.set(file, `link ${mode} ${readlinkSync(file)}`);
  else if (stats.isFile()) snapshot.set(file, `file ${mode} ${readFileSync(file, "utf8")}`);
  else if (stats.isDirectory()) {
    snapshot.set(file, `folder ${mode}`);
    for (const name of readdirSync(file)) describeTree(path.join(file, name), snapshot);
  } else snapshot.set(file, `other ${mode}`);
}

/** Why a tool's outcome is an escape, or undefined when the canaries are untouched and unseen. */
export function findEscape(
  environment: EscapeEnvironment,
  before: Map<string, string>,
  output: string,
  attackPath: string,
): string | undefined {
  const leaked = [...environment.contentTokens, ...systemCanaries].find((canary) => output.includes(canary));
  if (leaked) return `output holds canary content ${leaked}`;
  // Refusals quote the path they were given; a name is leaked only where the attack did not name it.
  const named = attackPath
    .split(/[/\\]/)
    .filter((component) => component.replaceAll(".", "").length > 0)
    .sort((left, right) => right.length - left.length);
  const unquoted = named.reduce((text, component) => text.split(component).join(""), output);
  const leakedName = environment.nameTokens.find((canary) => unquoted.includes(canary));
  if (leakedName) return `output names canary file ${leakedName}`;
  const after = snapshotCanaries(environment);
  for (const [file, description] of after) {
    if (!before.has(file)) return `created ${file}`;
    if (before.get(file) !== description) return `changed ${file}`;
  }
  for (const file of before.keys()) if (!after.has(file)) return `removed ${file}`;
  return undefined;
}
