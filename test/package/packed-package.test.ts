import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryRoot } from "../support/cli-process.ts";
import { consumerLockfile } from "./consumer-lockfile.ts";

// The package as a user gets it: `npm pack` (its `prepare` builds dist/) in a copy of the repository, then the
// tarball installed into an empty project with `npm ci --offline` from the npm cache that the repository's own
// `npm ci` filled. Optional packages (node-llama-cpp's prebuilt binaries, 0.7 GB) are left out to keep it quick.
let folder = "";
let consumer = "";
let packedFiles: string[] = [];

interface Finished {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command without blocking the test worker (npm pack and install take minutes on a loaded machine). */
function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}

async function succeeded(finished: Promise<Finished>, what: string): Promise<string> {
  const result = await finished;
  if (result.exitCode !== 0) throw new Error(`${what} exited ${result.exitCode}:\n${result.stderr}\n${result.stdout}`);
  return result.stdout;
}

beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), "tansuo-package-"));
  const stage = path.join(folder, "stage");
  mkdirSync(stage);
  // The sources and tests go in too, so the tarball's file list shows what `files` keeps out.
  for (const name of [
    "package.json",
    "README.md",
    "LICENSE",
    "tsconfig.json",
    "tsconfig.build.json",
    "bin",
    "src",
    "test",
    "ui",
  ]) {
    if (existsSync(path.join(repositoryRoot, name)))
      cpSync(path.join(repositoryRoot, name), path.join(stage, name), { recursive: true });
  }
  symlinkSync(path.join(repositoryRoot, "node_modules"), path.join(stage, "node_modules"));
  const packed = JSON.parse(
    await succeeded(run("npm", ["pack", "--json", "--pack-destination", folder], stage), "npm pack"),
  ) as { filename: string; files: { path: string }[] }[];
  packedFiles = packed[0]!.files.map((file) => file.path);

  consumer = path.join(folder, "consumer");
  mkdirSync(consumer);
  const tarball = `file:../${packed[0]!.filename}`;
  writeFileSync(
    path.join(consumer, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module", dependencies: { tansuo: tarball } }),
  );
  writeFileSync(
    path.join(consumer, "package-lock.json"),
    consumerLockfile(path.join(repositoryRoot, "package-lock.json"), tarball, "consumer"),
  );
  await succeeded(
    run("npm", ["ci", "--offline", "--ignore-scripts", "--omit=optional", "--no-audit", "--no-fund"], consumer),
    "npm ci of the tarball",
  );
}, 600_000);

afterAll(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe("the packed package", () => {
  it("holds the compiled code, its declarations, the bin and the data it reads, and no sources or tests", () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        "package.json",
        "README.md",
        "bin/tansuo.js",
        "dist/index.js",
        "dist/index.d.ts",
        "dist/testing/index.js",
        "dist/testing/index.d.ts",
        "dist/cli/main.js",
        "dist/models/catalog.json",
        "dist/tools/files/regex-search-worker.js",
      ]),
    );
    expect(packedFiles.filter((file) => !/^(dist\/|bin\/|package\.json$|README\.md$|LICENSE$)/.test(file))).toEqual([]);
    expect(packedFiles.filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))).toEqual([]);
  });

  it("runs `npx tansuo --help` in an empty project, listing the commands", async () => {
    const help = await succeeded(run("npx", ["--offline", "tansuo", "--help"], consumer), "npx tansuo --help");
    expect(help).toContain("Usage: tansuo [options] [command]");
    expect(help).toMatch(/run \[options\] <task\.\.\.>\s+Run an agent on a task in a workspace folder/);
    expect(help).toContain("models [options]");
  });

  it("runs `tansuo models --json` from the installed package, with the catalog it ships", async () => {
    const home = path.join(folder, "home");
    const listing = await succeeded(
      run("npx", ["--offline", "tansuo", "models", "--json"], consumer, { TANSUO_HOME: home }),
      "npx tansuo models --json",
    );
    expect((JSON.parse(listing) as { id: string }[]).map((model) => model.id)).toContain("deepseek-v4-flash");
  });

  it('runs `import { Agent } from "tansuo"` as ESM: an agent on the scripted model of "tansuo/testing" answers', async () => {
    writeFileSync(
      path.join(consumer, "run-agent.js"),
      [
        'import { Agent } from "tansuo";',
        'import { ScriptedModel } from "tansuo/testing";',
        'const agent = new Agent({ model: new ScriptedModel([{ text: "packed" }]), memory: true, workspace: "." });',
        'const result = await agent.run("say packed");',
        "agent.close();",
        "process.stdout.write(JSON.stringify({ status: result.status, output: result.output }));",
      ].join("\n"),
    );
    const answer = await succeeded(run(process.execPath, ["run-agent.js"], consumer), "node run-agent.js");
    expect(JSON.parse(answer)).toEqual({ status: "succeeded", output: "packed" });
  });

  it("type-checks a TypeScript user of the package against its declarations", async () => {
    writeFileSync(
      path.join(consumer, "check.ts"),
      [
        'import { Agent, type AgentResult } from "tansuo";',
        'import { ScriptedModel } from "tansuo/testing";',
        'const agent = new Agent({ model: new ScriptedModel([{ text: "typed" }]), memory: true });',
        'const result: AgentResult<unknown> = await agent.run("say typed");',
        "export const status: string = result.status;",
        "// @ts-expect-error: the declarations are real types, so a wrong option is an error.",
        "new Agent({ maxSteps: 'many' });",
      ].join("\n"),
    );
    writeFileSync(
      path.join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ["node"],
          typeRoots: [path.join(repositoryRoot, "node_modules/@types")],
        },
        files: ["check.ts"],
      }),
    );
    const typescript = path.join(repositoryRoot, "node_modules/typescript/bin/tsc");
    const checked = await run(process.execPath, [typescript, "-p", "tsconfig.json"], consumer);
    expect(checked.stdout + checked.stderr).toBe("");
    expect(checked.exitCode).toBe(0);
  });
});
