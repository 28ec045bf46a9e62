import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCommandTool } from "../../src/tools/builtin/run-command.ts";
import { invokeTool } from "../../src/tools/invoke-tool.ts";
import { defaultToolPolicy } from "../../src/tools/tool.ts";
import { Workspace } from "../../src/tools/workspace.ts";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

// It leaves the command's process group (setsid) and ignores SIGTERM: only the marker finds it.
const escapingLoop = `setsid sh -c 'trap "" TERM; while true; do echo tick >> ticks2; sleep 0.2; done' & sleep 60`;

async function waitForFile(file: string) {
  const deadline = Date.now() + 10_000;
  while (!existsSync(file) || statSync(file).size === 0) {
    if (Date.now() > deadline) throw new Error(`${file} was never written`);
    await sleep(25);
  }
}

describe("run_command without a sandbox, aborted", () => {
  it("kills a setsid child that left the process group: its file stops growing", async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), "tansuo-escaped-"));
    folders.push(workspace);
    const controller = new AbortController();
    const outcome = invokeTool(runCommandTool, JSON.stringify({ command: escapingLoop }), {
      workspace: new Workspace(workspace),
      signal: controller.signal,
      policy: { ...defaultToolPolicy(), sandbox: "off" },
      warn: () => {},
    });
    const ticks = path.join(workspace, "ticks2");
    await waitForFile(ticks);
    controller.abort(new Error("the run was cancelled"));
    await outcome;
    await sleep(300);
    const size = readFileSync(ticks).length;
    await sleep(1000);
    expect(readFileSync(ticks).length).toBe(size);
  });
});
