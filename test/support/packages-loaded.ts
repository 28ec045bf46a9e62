import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { repositoryRoot, spawnNode } from "./cli-process.ts";

/**
 * Runs the real CLI with a module hook that logs every resolved URL, and returns the npm packages it imported
 * (`@scope/name` or `name`). `folder` holds the hook files and the log; `env` is the child's whole environment.
 */
export async function packagesLoadedBy(
  args: string[],
  options: { folder: string; env: Record<string, string> },
): Promise<{ exitCode: number | null; packages: Set<string> }> {
  const hooks = path.join(options.folder, "log-hooks.mjs");
  const register = path.join(options.folder, "log-register.mjs");
  const log = path.join(options.folder, `loaded-${args.join("-")}.txt`);
  writeFileSync(
    hooks,
    'import { appendFileSync } from "node:fs";\n' +
      "export async function resolve(specifier, context, next) {\n" +
      "  const result = await next(specifier, context);\n" +
      '  appendFileSync(process.env.LOG_FILE, result.url + "\\n");\n' +
      "  return result;\n}\n",
  );
  writeFileSync(register, `import { register } from "node:module";\nregister(${JSON.stringify(`file://${hooks}`)});\n`);
  writeFileSync(log, "");
  const { exitCode } = await spawnNode(["--import", register, path.join(repositoryRoot, "bin/tansuo.js"), ...args], {
    env: { ...options.env, LOG_FILE: log },
    cwd: options.folder,
  }).result;
  const packages = new Set<string>();
  for (const url of readFileSync(log, "utf8").split("\n")) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (match) packages.add(match[1]!);
  }
  return { exitCode, packages };
}
