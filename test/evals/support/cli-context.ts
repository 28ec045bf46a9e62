import type { CliContext } from "../../../src/cli/cli-context.ts";
import type { Settings } from "../../../src/config/settings-schema.ts";
import { Catalog } from "../../../src/models/catalog.ts";
import type { ResolvedModel } from "../../../src/models/resolved-model.ts";
import { capturedStream } from "./captured-stream.ts";
import { repositoryRoot, temporaryFolder } from "./paths.ts";

const unused = (what: string) => () => {
  throw new Error(`the eval command should not need ${what}`);
};

/** A CliContext with captured output; the parts `tansuo eval` never uses throw when touched. */
export function evalCliContext(resolveModel: CliContext["resolveModel"] = unused("a model")) {
  const stdout = capturedStream();
  const stderr = capturedStream();
  const context: CliContext = {
    resolveModel: resolveModel as (spec: string | undefined, options?: { baseUrl?: string }) => Promise<ResolvedModel>,
    stdout,
    stderr,
    stdin: process.stdin,
    isTerminal: false,
    homeDirectory: temporaryFolder("home"),
    cwd: repositoryRoot,
    env: {},
    settings: {} as Settings,
    catalog: Catalog.builtIn(),
    openStore: unused("the store"),
    runtime: unused("the agent runtime"),
    openMcpServers: unused("MCP servers"),
  };
  return { context, stdout, stderr };
}
