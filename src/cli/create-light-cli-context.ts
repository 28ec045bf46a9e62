import { homeDirectory, loadSettings } from "../config/load-settings.ts";
import { InternalError } from "../errors/internal-error.ts";
import { Catalog } from "../models/catalog.ts";
import type { CliContext } from "./cli-context.ts";
import type { ProcessWorld } from "./create-cli-context.ts";

/**
 * The context of a command marked `light` in cli/command-table.ts: config and the catalog without loading the
 * agent, the tools or the store, so it starts fast. Async services build the full context on first use; the
 * store and the runtime, which are synchronous, are refused with what to change.
 */
export function createLightCliContext(world: ProcessWorld): CliContext {
  const settings = loadSettings({ cwd: world.cwd, env: world.env });
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
    catalog: Catalog.builtIn().withOverrides(settings.models),
    resolveModel: async (spec, options) => (await fullContext()).resolveModel(spec, options),
    openStore: unavailable("openStore()"),
    runtime: unavailable("runtime()"),
    openMcpServers: async (serverNames, options) => (await fullContext()).openMcpServers(serverNames, options),
  };
}
