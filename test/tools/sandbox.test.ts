import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCommandTool } from "../../src/tools/builtin/run-command.ts";
import { invokeTool } from "../../src/tools/invoke-tool.ts";
import { defaultToolPolicy, type ToolContext } from "../../src/tools/tool.ts";
import { Workspace } from "../../src/tools/workspace.ts";

// Planted where a command could look; the policy does not list them, so only the sandbox can keep them out.
const configKey = "sk-config-only-5f1e2d3c4b5a69788796";
const environmentKey = "sk-environment-key-a1b2c3d4e5f60718";
const sshKey = "-----BEGIN OPENSSH PRIVATE KEY----- fake-ssh-key-material-0042";

let folder: string;
let workspace: string;
let tansuoHome: string;
let userHome: string;
let outside: string;
const savedEnvironment = { ...process.env };

beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), "tansuo-sandbox-"));
  workspace = path.join(folder, "workspace");
  tansuoHome = path.join(folder, "tansuo-home");
  userHome = path.join(folder, "user-home");
  outside = path.join(folder, "outside");
  for (const directory of [workspace, tansuoHome, path.join(userHome, ".ssh"), outside]) {
    mkdirSync(directory, { recursive: true });
  }
  writeFileSync(path.join(tansuoHome, "config.json"), JSON.stringify({ providers: { x: { apiKey: configKey } } }));
  writeFileSync(path.join(userHome, ".ssh/id_rsa"), sshKey);
  process.env.HOME = userHome;
  process.env.TANSUO_HOME = tansuoHome;
  process.env.DEEPSEEK_API_KEY = environmentKey;
});

afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in savedEnvironment)) delete process.env[name];
  Object.assign(process.env, savedEnvironment);
  rmSync(folder, { recursive: true, force: true });
});

function context(overrides: Partial<ToolContext> = {}, hiddenPaths = [tansuoHome]): ToolContext {
  return {
    workspace: new Workspace(workspace, { hiddenPaths }),
    signal: new AbortController().signal,
    policy: { ...defaultToolPolicy(), sandbox: "required", hiddenPaths },
    warn: (message) => {
      throw new Error(`unexpected warning: ${message}`);
    },
    ...overrides,
  };
}

async function run(command: string, options: { network?: boolean; context?: ToolContext } = {}) {
  const input = { command, ...(options.network === undefined ? {} : { network: options.network }) };
  const outcome = await invokeTool(runCommandTool, JSON.stringify(input), options.context ?? context());
  expect(outcome.isError).toBe(false);
  return outcome.output;
}

const noSecretIn = (output: string) => {
  for (const secret of [configKey, environmentKey, sshKey, "fake-ssh-key-material"]) {
    expect(output).not.toContain(secret);
  }
  // Nothing needed redacting: the command never saw a secret.
  expect(output).not.toContain("[secret redacted]");
};

describe("run_command in the bubblewrap sandbox", () => {
  it("does not show $TANSUO_HOME, even when the workspace holds it", async () => {
    const output = await run('cat "$TANSUO_HOME/config.json"; ls -A "$TANSUO_HOME" | wc -l');
    expect(output).toMatch(/config\.json: No such file or directory/);
    noSecretIn(output);

    const inner = path.join(workspace, ".tansuo");
    mkdirSync(inner);
    writeFileSync(path.join(inner, "config.json"), JSON.stringify({ providers: { x: { apiKey: configKey } } }));
    const inside = await run("cat .tansuo/config.json; grep -r sk- . ; ls -A .tansuo | wc -l", {
      context: context({}, [inner]),
    });
    expect(inside).toMatch(/\n0\n?$/);
    noSecretIn(inside);
  });

  it("hides the user's home: dotfiles and keys are not there", async () => {
    const output = await run("cat ~/.ssh/id_rsa; ls -A ~ | wc -l; cat /root/.ssh/* 2>&1 | head -1");
    expect(output).toMatch(/id_rsa: No such file or directory/);
    expect(output).toMatch(/\n0\n/);
    noSecretIn(output);
  });

  it("hides the credential folders of a home that is the workspace itself, and shows the rest", async () => {
    mkdirSync(path.join(workspace, ".ssh"));
    writeFileSync(path.join(workspace, ".ssh/id_rsa"), sshKey);
    writeFileSync(path.join(workspace, ".netrc"), `machine example.com password ${configKey}`);
    writeFileSync(path.join(workspace, "notes.txt"), "visible");
    process.env.HOME = workspace;
    const output = await run("cat ~/.ssh/id_rsa; cat .netrc; cat notes.txt; echo; ls -A ~/.ssh | wc -l");
    expect(output).toContain("visible");
    expect(output).toMatch(/\n0\n?$/);
    noSecretIn(output);
  });

  it("gives the command a process tree of its own: /proc/$PPID is not Tansuo's and no environ holds a key", async () => {
    const output = await run(
      'tr "\\0" " " < /proc/$PPID/cmdline; echo; cat /proc/$PPID/environ /proc/*/environ | base64 -w0; echo; ' +
        "cat /proc/*/environ | xxd -p; ls /proc | grep -c '^[0-9]'",
    );
    expect(output).not.toContain(process.execPath);
    expect(output).not.toContain(`${process.pid}`.padStart(8, " "));
    noSecretIn(output);
    const decoded = Buffer.from(output.split("\n")[2] ?? "", "base64").toString("utf8");
    expect(decoded).toContain("TANSUO_HOME=");
    expect(decoded).not.toContain(environmentKey);
  });

  it("lets the command write in the workspace and nowhere else", async () => {
    const output = await run(
      `echo kept > made.txt && mkdir -p sub && echo deep > sub/file.txt; ` +
        `echo escaped > "${outside}/pwned.txt"; echo escaped > /etc/tansuo-pwned; echo escaped > "${userHome}/.bashrc"`,
    );
    expect(readFileSync(path.join(workspace, "made.txt"), "utf8")).toBe("kept\n");
    expect(readFileSync(path.join(workspace, "sub/file.txt"), "utf8")).toBe("deep\n");
    expect(output).toMatch(/\/etc\/tansuo-pwned: Read-only file system/);
    expect(existsSync("/etc/tansuo-pwned")).toBe(false);
    expect(readdirSync(outside)).toEqual([]);
    expect(readdirSync(userHome)).toEqual([".ssh"]);
  });

  describe("network", () => {
    let server: Server;
    let port: number;
    let requests = 0;
    beforeEach(async () => {
      requests = 0;
      server = createServer((_request, response) => {
        requests++;
        response.end("pong-from-host");
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const probe = () =>
      `node -e "fetch('http://127.0.0.1:${port}/').then(r => r.text()).then(t => console.log('got', t), ` +
      `e => console.log('failed', e.cause && e.cause.code))"; ` +
      `node -e "require('net').connect(${port}, '127.0.0.1').on('connect', () => { console.log('tcp open'); ` +
      `process.exit(0) }).on('error', e => console.log('tcp', e.code))"`;

    it("has none unless the call asks for it", async () => {
      const output = await run(probe());
      expect(output).toContain("failed ECONNREFUSED");
      expect(output).toContain("tcp ECONNREFUSED");
      expect(requests).toBe(0);
    });

    it("has it when the approved call sets network: true", async () => {
      const output = await run(probe(), { network: true });
      expect(output).toContain("got pong-from-host");
      expect(output).toContain("tcp open");
      expect(requests).toBe(1);
    });
  });

  describe("stopping", () => {
    // A duration no other process on the machine uses, so the check below finds only this command's sleep.
    const marker = `${30 + Math.floor(Math.random() * 1000) / 1000}`;
    const sleepsAlive = () =>
      readdirSync("/proc")
        .filter((name) => /^\d+$/.test(name))
        .filter((pid) => {
          try {
            const [program, argument] = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
            return program === "sleep" && argument === marker;
          } catch {
            return false;
          }
        });
    const waitUntilRunning = async (count: number) => {
      const deadline = Date.now() + 5_000;
      while (sleepsAlive().length < count && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(sleepsAlive().length).toBe(count);
    };
    const waitUntilGone = async () => {
      const deadline = Date.now() + 3_000;
      while (sleepsAlive().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      return sleepsAlive();
    };

    it("kills the whole sandboxed tree at the timeout", async () => {
      const started = Date.now();
      const pending = invokeTool(
        runCommandTool,
        JSON.stringify({ command: `sleep ${marker} & sleep ${marker}; wait`, timeout_seconds: 1 }),
        context(),
      );
      await waitUntilRunning(2);
      const outcome = await pending;
      expect(outcome.output).toMatch(/timed out after 1 s/);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(await waitUntilGone()).toEqual([]);
    });

    it("kills it when the run is aborted", async () => {
      const controller = new AbortController();
      const pending = invokeTool(
        runCommandTool,
        JSON.stringify({ command: `(setsid sleep ${marker} &) ; sleep ${marker}` }),
        context({ signal: controller.signal }),
      );
      await waitUntilRunning(2);
      controller.abort();
      await pending;
      expect(await waitUntilGone()).toEqual([]);
    });
  });
});
