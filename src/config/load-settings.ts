import { existsSync, readFileSync } from "node:fs";
import type { z } from "zod";
import { TansuoError } from "../errors/tansuo-error.ts";
import { Catalog } from "../models/catalog.ts";
import { modelEntrySchema } from "../models/model-entry.ts";
import { isRegisteredProvider, registeredProviders } from "../models/providers/provider-registry.ts";
import { checkAgentTools } from "./agent-tool-references.ts";
import { configFiles } from "./config-files.ts";
import { type Settings, settingsSchema } from "./settings-schema.ts";

export { homeDirectory } from "./config-files.ts";

/** The user's config file is wrong: says which file, which field, and what was expected. */
export class ConfigError extends TansuoError {
  override readonly name = "ConfigError";
  readonly kind = "user";
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid config file ${file}:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  }
}

export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
    return `${field}: ${issue.message}`;
  });
}

function readSettingsFile(file: string, fromProject: boolean): Settings | undefined {
  if (!existsSync(file)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigError(file, [`not valid JSON (${error instanceof Error ? error.message : String(error)})`]);
  }
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(file, describeIssues(parsed.error));
  if (fromProject) checkProjectFileIsSafe(file, parsed.data, raw);
  checkModelOverrides(file, parsed.data);
  return parsed.data;
}

/**
 * Reads $TANSUO_HOME/config.json, then ./tansuo.config.json over it (the project's file wins field by field).
 * A project file comes with whatever folder was cloned, so it may not redirect keys or change prices.
 */
export function loadSettings(options: { cwd: string; env: NodeJS.ProcessEnv }): Settings {
  const { home: homeFile, project: projectFile } = configFiles(options);
  let settings: Settings = settingsSchema.parse({});
  for (const file of [homeFile, projectFile]) {
    const fromProject = file === projectFile && file !== homeFile;
    const next = readSettingsFile(file, fromProject);
    if (!next) continue;
    const providers = { ...settings.providers };
    for (const [name, values] of Object.entries(next.providers)) providers[name] = { ...providers[name], ...values };
    settings = {
      defaultModel: next.defaultModel ?? settings.defaultModel,
      models: [...settings.models, ...next.models],
      providers,
      agents: { ...settings.agents, ...next.agents },
      // Safety switches come from the user's own file only (a project file that sets them is refused).
      files: fromProject ? settings.files : next.files,
      shell: fromProject ? settings.shell : next.shell,
      server: fromProject ? settings.server : next.server,
      web: fromProject ? settings.web : next.web,
      // MCP servers launch commands: only the user's own file declares them.
      mcpServers: fromProject ? settings.mcpServers : next.mcpServers,
      // Where spans go (and their headers, often a token): only the user's own file says.
      telemetry: fromProject ? settings.telemetry : next.telemetry,
      // Where runs, ledger and keys are kept: only the user's own file says.
      store: fromProject ? settings.store : next.store,
      embedded: { ...settings.embedded, ...next.embedded },
      // A project file's hooks run only once the user trusts them (config/project-hooks.ts), never merged here.
      hooks: fromProject ? settings.hooks : next.hooks,
    };
  }
  // After the merge: a project file's agent may call the user's own agents.
  checkAgentTools(settings.agents);
  return settings;
}

// Fields that decide where an API key is sent or what money is counted: only the user's own file may set them.
const homeOnlyModelFields = ["baseUrl", "apiKeyEnv", "prices"] as const;

// Switches that loosen what tools and the gateway allow: a cloned folder must not be able to turn them on.
// `telemetry` too: it would send what runs do (their content, with captureContent) to an address of its choosing.
// `store` too: a project file must not send runs and keys to a database of its choosing.
const homeOnlySections = ["files", "shell", "server", "web", "mcpServers", "telemetry", "store"] as const;

function checkProjectFileIsSafe(file: string, settings: Settings, raw: unknown): void {
  const builtIn = Catalog.builtIn();
  const problems: string[] = [];
  for (const section of homeOnlySections) {
    if (raw && typeof raw === "object" && section in raw) {
      problems.push(`${section}: safety settings belong in $TANSUO_HOME/config.json, not in a project file`);
    }
  }
  for (const name of Object.keys(settings.providers)) {
    problems.push(
      `providers.${name}: API keys and base URLs belong in $TANSUO_HOME/config.json, not in a project file`,
    );
  }
  settings.models.forEach((model, index) => {
    if (builtIn.find(model.id)) {
      for (const field of homeOnlyModelFields) {
        if (field in model) {
          problems.push(
            `models.${index} (${model.id}).${field}: a project file may not change a built-in model's ${field}`,
          );
        }
      }
    } else if ("apiKeyEnv" in model) {
      problems.push(`models.${index} (${model.id}).apiKeyEnv: a project file may not pick which API key is sent`);
    }
  });
  if (problems.length > 0) {
    throw new ConfigError(file, [...problems, "(set these in $TANSUO_HOME/config.json, which only you write)"]);
  }
}

function checkModelOverrides(file: string, settings: Settings): void {
  const builtIn = Catalog.builtIn();
  const problems = settings.models.flatMap((override, index) => {
    const merged = { ...(builtIn.find(override.id) ?? {}), ...override };
    const parsed = modelEntrySchema.safeParse(merged);
    if (!parsed.success) {
      return describeIssues(parsed.error).map((problem) => `models.${index} (${override.id}).${problem}`);
    }
    if (isRegisteredProvider(parsed.data.provider)) return [];
    const known = registeredProviders().map((provider) => provider.kind);
    return [`models.${index} (${override.id}).provider: "${parsed.data.provider}" is not one of ${known.join(", ")}`];
  });
  if (problems.length > 0) throw new ConfigError(file, problems);
}
