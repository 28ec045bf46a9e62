import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

/** A throwaway PostgreSQL cluster on 127.0.0.1 and a socket in its own folder, for one test file. */
export interface PostgresServer {
  /** A URL of database `name` on this cluster (made by `createDatabase`). */
  url: (name: string) => string;
  createDatabase: (name: string) => Promise<string>;
  stop: () => void;
}

/** The folder holding initdb and pg_ctl: on PATH, else Debian's /usr/lib/postgresql/<version>/bin (newest first). */
function postgresBinaries(): string | undefined {
  const candidates = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const versions = readdirSync(debian).sort((left, right) => Number(right) - Number(left));
    candidates.push(...versions.map((version) => path.join(debian, version, "bin")));
  }
  return candidates.find(
    (folder) => existsSync(path.join(folder, "initdb")) && existsSync(path.join(folder, "pg_ctl")),
  );
}

/** A port free on 127.0.0.1 right now, asked of the system. */
async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Postgres refuses to run as root: as root, the cluster runs as the `postgres` OS user in a folder it owns. */
function clusterUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return { uid, gid };
}

/** Starts a cluster, or says why none can be started. */
export async function startPostgresServer(): Promise<PostgresServer | { unavailable: string }> {
  const binaries = postgresBinaries();
  if (!binaries) return { unavailable: "no initdb/pg_ctl on PATH or in /usr/lib/postgresql/*/bin" };
  let user: { uid: number; gid: number } | undefined;
  try {
    user = clusterUser();
  } catch {
    return { unavailable: "running as root and there is no `postgres` OS user to run the cluster as" };
  }
  const folder = mkdtempSync(path.join(tmpdir(), "tansuo-postgres-"));
  const data = path.join(folder, "data");
  if (user) {
    chmodSync(folder, 0o700);
    chownSync(folder, user.uid, user.gid);
  }
  const run = (command: string, args: string[]) =>
    spawnSync(path.join(binaries, command), args, { encoding: "utf8", ...(user ?? {}), cwd: folder });
  const port = await freePort();
  const initialized = run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
  if (initialized.status !== 0) {
    rmSync(folder, { recursive: true, force: true });
    return { unavailable: `initdb failed: ${initialized.stderr.trim()}` };
  }
  const flags = `-k ${folder} -p ${port} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const started = run("pg_ctl", ["-D", data, "-l", path.join(folder, "log"), "-o", flags, "-w", "start"]);
  if (started.status !== 0) {
    rmSync(folder, { recursive: true, force: true });
    return { unavailable: `pg_ctl start failed: ${started.stderr.trim() || started.stdout.trim()}` };
  }
  const url = (name: string) => `postgres://postgres@127.0.0.1:${port}/${name}`;
  return {
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url("postgres") });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop() {
      run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/**
 * A cluster for a test file, or the reason it is skipped: outside CI a machine without PostgreSQL skips these tests
 * (the reason goes in the suite's title); in CI (`CI` set) a missing PostgreSQL fails the file instead.
 */
export async function postgresForTests(): Promise<PostgresServer | { unavailable: string }> {
  const server = await startPostgresServer();
  if ("unavailable" in server && process.env.CI) {
    throw new Error(`PostgreSQL is required in CI (CI is set) but could not be started: ${server.unavailable}`);
  }
  return server;
}
