import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli-process.ts";
import { postgresForTests } from "../support/postgres-server.ts";

// Which store a command opens: --store over TANSUO_STORE over config `store`, else $TANSUO_HOME/tansuo.db.
const folder = mkdtempSync(path.join(tmpdir(), "tansuo-store-option-"));
const server = await postgresForTests();
afterAll(() => {
  if (!("unavailable" in server)) server.stop();
  rmSync(folder, { recursive: true, force: true });
});

let homes = 0;
function newHome(config?: object): string {
  const home = path.join(folder, `home-${++homes}`);
  mkdirSync(home);
  if (config) writeFileSync(path.join(home, "config.json"), JSON.stringify(config));
  return home;
}

describe("choosing the store", () => {
  it("opens the SQLite file named by --store, before or after the command, over TANSUO_STORE and config", async () => {
    const home = newHome({ store: path.join(folder, "configured.db") });
    const env = { TANSUO_HOME: home, TANSUO_STORE: path.join(folder, "from-env.db") };
    const before = await runCli(["--store", path.join(folder, "flag-before.db"), "runs", "list"], { env, cwd: folder });
    const after = await runCli(["runs", "list", `--store=${path.join(folder, "flag-after.db")}`], { env, cwd: folder });
    expect([before.exitCode, after.exitCode]).toEqual([0, 0]);
    expect(existsSync(path.join(folder, "flag-before.db"))).toBe(true);
    expect(existsSync(path.join(folder, "flag-after.db"))).toBe(true);
    expect(existsSync(path.join(folder, "from-env.db"))).toBe(false);
    expect(existsSync(path.join(folder, "configured.db"))).toBe(false);
    expect(existsSync(path.join(home, "tansuo.db"))).toBe(false);
  });

  it("takes TANSUO_STORE over config `store`, and config `store` over the default file", async () => {
    const home = newHome({ store: path.join(folder, "configured-2.db") });
    expect((await runCli(["runs", "list"], { env: { TANSUO_HOME: home }, cwd: folder })).exitCode).toBe(0);
    expect(existsSync(path.join(folder, "configured-2.db"))).toBe(true);
    const env = { TANSUO_HOME: home, TANSUO_STORE: path.join(folder, "from-env-2.db") };
    expect((await runCli(["runs", "list"], { env, cwd: folder })).exitCode).toBe(0);
    expect(existsSync(path.join(folder, "from-env-2.db"))).toBe(true);
    expect(existsSync(path.join(home, "tansuo.db"))).toBe(false);
  });

  it("refuses `store` in a project file: runs and keys go where the user's own config says", async () => {
    const home = newHome();
    const project = path.join(folder, "project");
    mkdirSync(project);
    writeFileSync(path.join(project, "tansuo.config.json"), JSON.stringify({ store: "postgres://evil.invalid/db" }));
    const result = await runCli(["runs", "list"], { env: { TANSUO_HOME: home }, cwd: project });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain("store: safety settings belong in $TANSUO_HOME/config.json");
  });

  it("never prints a Postgres password: not when the server is unreachable, not in --help", async () => {
    const env = { TANSUO_HOME: newHome() };
    const url = "postgres://user:secret@127.0.0.1:1/db";
    const failed = await runCli(["--store", url, "runs", "list"], { env, cwd: folder });
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toContain("Could not open the Postgres store at postgres://user:***@127.0.0.1:1/db");
    expect(`${failed.stdout}${failed.stderr}`).not.toContain("secret");
    const fromEnv = await runCli(["runs", "list"], { env: { ...env, TANSUO_STORE: url }, cwd: folder });
    expect(`${fromEnv.stdout}${fromEnv.stderr}`).not.toContain("secret");
    const help = await runCli(["--store", url, "--help"], { env, cwd: folder });
    expect(help.stdout).toContain("--store <url|path>");
    expect(`${help.stdout}${help.stderr}`).not.toContain("secret");
  });

  const postgres = "unavailable" in server ? describe.skip : describe;
  postgres(`through PostgreSQL${"unavailable" in server ? ` (skipped: ${server.unavailable})` : ""}`, () => {
    it("keeps keys made by one command for the next, in the database named by TANSUO_STORE", async () => {
      if ("unavailable" in server) return;
      const url = await server.createDatabase("cli");
      const env = { TANSUO_HOME: newHome(), TANSUO_STORE: url };
      const created = await runCli(["keys", "create", "--name", "ops", "--budget", "2.50"], { env, cwd: folder });
      expect(created.stderr).toBe("");
      const listed = await runCli(["keys", "list", "--json"], { env, cwd: folder });
      expect(JSON.parse(listed.stdout)).toMatchObject([{ name: "ops", budgetUsd: "2.5" }]);
      expect(existsSync(path.join(env.TANSUO_HOME, "tansuo.db"))).toBe(false);
    });
  });
});
