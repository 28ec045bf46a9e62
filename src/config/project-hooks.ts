import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { configFiles, homeDirectory } from "./config-files.ts";
import { type HooksSettings, hooksSettingsSchema } from "./settings-schema.ts";

/** A project file's hooks and whether the user trusted exactly these (by the file's real path and their hash). */
export interface ProjectHooks {
  file: string;
  hooks: HooksSettings;
  hash: string;
  trusted: boolean;
}

/** Where trust is kept: in $TANSUO_HOME, which only the user writes (a project cannot trust itself). */
export const trustFile = (env: NodeJS.ProcessEnv) => path.join(homeDirectory(env), "trusted-hooks.json");

type TrustRecords = Record<string, { hash: string; trustedAt: string }>;

function readTrust(env: NodeJS.ProcessEnv): TrustRecords {
  try {
    const parsed: unknown = JSON.parse(readFileSync(trustFile(env), "utf8"));
    return parsed && typeof parsed === "object" ? (parsed as TrustRecords) : {};
  } catch {
    return {};
  }
}

// Any change to a hook (command, matcher, timeout, order) changes the hash, so it needs trust again.
const hooksHash = (hooks: HooksSettings) => createHash("sha256").update(JSON.stringify(hooks)).digest("hex");

/** ./tansuo.config.json's hooks, when it has any (loadSettings has checked the file already). */
export function readProjectHooks(options: { cwd: string; env: NodeJS.ProcessEnv }): ProjectHooks | undefined {
  const { home, project } = configFiles(options);
  if (project === home || !existsSync(project)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(project, "utf8"));
  } catch {
    return undefined;
  }
  const parsed = hooksSettingsSchema.safeParse((raw as { hooks?: unknown } | null)?.hooks);
  if (!parsed.success || Object.values(parsed.data).every((entries) => (entries ?? []).length === 0)) return undefined;
  const file = realpathSync(project);
  const hash = hooksHash(parsed.data);
  return { file, hooks: parsed.data, hash, trusted: readTrust(options.env)[file]?.hash === hash };
}

/** Records the user's trust in these very hooks of this file. */
export function trustProjectHooks(project: ProjectHooks, env: NodeJS.ProcessEnv): void {
  const records = { ...readTrust(env), [project.file]: { hash: project.hash, trustedAt: new Date().toISOString() } };
  const file = trustFile(env);
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(records, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

export const untrustedHooksWarning = (project: ProjectHooks) =>
  `warning: ${project.file} has hooks you have not trusted (or that changed since), so they do not run. ` +
  "Review them with `tansuo hooks list`, then run `tansuo hooks trust` in this folder to let them run.";

/** The hooks a run gets: the user's own, then the project's when trusted (an untrusted project's are left out). */
export function runHooks(
  home: HooksSettings,
  project: ProjectHooks | undefined,
  warn: (message: string) => void,
): HooksSettings {
  if (!project) return home;
  if (!project.trusted) {
    warn(untrustedHooksWarning(project));
    return home;
  }
  const merged: HooksSettings = { ...home };
  for (const [event, entries] of Object.entries(project.hooks) as [
    keyof HooksSettings,
    HooksSettings[keyof HooksSettings],
  ][]) {
    merged[event] = [...(home[event] ?? []), ...(entries ?? [])];
  }
  return merged;
}
