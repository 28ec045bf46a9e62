import { homedir } from "node:os";
import path from "node:path";

/** $TANSUO_HOME, or ~/.tansuo: config, database and model cache live there. */
export function homeDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.TANSUO_HOME && env.TANSUO_HOME.length > 0
    ? path.resolve(env.TANSUO_HOME)
    : path.join(homedir(), ".tansuo");
}

/** The two files settings come from: the user's own, then the project's (which wins field by field). */
export function configFiles(options: { cwd: string; env: NodeJS.ProcessEnv }): { home: string; project: string } {
  return {
    home: path.join(homeDirectory(options.env), "config.json"),
    project: path.join(options.cwd, "tansuo.config.json"),
  };
}
