import { existsSync, realpathSync } from "node:fs";
import { userInfo } from "node:os";
import path from "node:path";

// Where tools and shells keep credentials and history, relative to a home folder.
export const credentialLocations = [
  ".ssh",
  ".aws",
  ".azure",
  ".config",
  ".docker",
  ".kube",
  ".gnupg",
  ".password-store",
  ".local/share/keyrings",
  ".npmrc",
  ".yarnrc",
  ".netrc",
  ".pgpass",
  ".pypirc",
  ".git-credentials",
  ".cargo/credentials",
  ".cargo/credentials.toml",
  ".m2/settings.xml",
  ".gradle/gradle.properties",
  ".terraform.d",
  ".vault-token",
  ".tansuo",
  ".bash_history",
  ".zsh_history",
  ".python_history",
  ".node_repl_history",
  ".psql_history",
  ".mysql_history",
];

// Sockets that hand out more than the sandbox allows (a Docker daemon is root on the host).
export const privilegedSockets = ["/run/docker.sock", "/var/run/docker.sock", "/run/user"];

/** The folders a command could find the user's dotfiles in: $HOME, the account's real home, and root's. */
export function homeFolders(environment: NodeJS.ProcessEnv): string[] {
  let accountHome: string | undefined;
  try {
    accountHome = userInfo().homedir;
  } catch {
    // No passwd entry (some containers): $HOME and /root remain.
  }
  const candidates = [environment.HOME, accountHome, "/root"];
  return [...new Set(candidates.filter((folder): folder is string => !!folder).map(canonical))].filter(
    (folder) => folder !== "/" && existsSync(folder),
  );
}

/** The path with links resolved where it exists, so mounts land on what the path really names. */
export function canonical(target: string): string {
  const absolute = path.resolve(target);
  try {
    return realpathSync(absolute);
  } catch {
    return absolute;
  }
}
