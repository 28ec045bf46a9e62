import { existsSync } from "node:fs";
import { configFiles, homeDirectory } from "../config/config-files.ts";
import { defaultSettings } from "../config/default-settings.ts";
import type { Settings } from "../config/settings-schema.ts";
import { InternalError } from "../errors/internal-error.ts";
import { ReadOnlyCatalog } from "../models/read-only-catalog.ts";
import type { CliContext } from "./cli-context.ts";
import type { ProcessWorld } from "./create-cli-context.ts";

/**
 * The context of a command marked `light` in cli/command-table.ts: config and the catalog without loading the
 * agent, the tools or the store, so it starts fast. Async services build the full context on first use; the
 * store and the runtime, which are synchronous, are refused with what to change.
 */
export async function createLightCliContext(world: ProcessWorld): Promise<CliContext> {
  const { settings, catalog } = await readConfig(world);
  let full: Promise<CliContext> | undefined;
  const fullContext = () => {
    full ??= import("./create-cli-context.ts").then(({ createCliContext }) => createCliContext(world));
    return full;
  };
  const unavailable = (service: string) => (): never => {
    throw new InternalError(
      `${service} is not available to a command marked light in src/cli/command-table.ts; remove \`light: true\` from its row.`,
    );
  };
  return {
    ...world,
    homeDirectory: homeDirectory(world.env),
    settings,
    catalog,
    resolveModel: async (spec, options) => (await fullContext()).resolveModel(spec, options),
    openStore: unavailable("openStore()"),
    runtime: unavailable("runtime()"),
    openMcpServers: async (serverNames, options) => (await fullContext()).openMcpServers(serverNames, options),
  };
}

/** Validation (zod, the provider registry) is loaded only when a config file exists to be checked. */
async function readConfig(world: ProcessWorld): Promise<{ settings: Settings; catalog: ReadOnlyCatalog }> {
  const { home, project } = configFiles(world);
  if (!existsSync(home) && !existsSync(project))
    return { settings: defaultSettings(), catalog: ReadOnlyCatalog.builtIn() };
  const [{ loadSettings }, { Catalog }] = await Promise.all([
    import("../config/load-settings.ts"),
    import("../models/catalog.ts"),
  ]);
  const settings = loadSettings({ cwd: world.cwd, env: world.env });
  return { settings, catalog: Catalog.builtIn().withOverrides(settings.models) };
}
