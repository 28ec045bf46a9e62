import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cliSandbox, repositoryRoot, spawnCli, waitFor } from "../support/cli-process.ts";

const folders: string[] = [];
const children: ReturnType<typeof spawnCli>[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe("tansuo ui", () => {
  it("serves the viewer and the runs API of the local database on 127.0.0.1, and stops on SIGTERM", async () => {
    const { folder, home } = cliSandbox();
    folders.push(folder);
    let printed = "";
    const child = spawnCli(["ui", "--no-open", "--port", "0"], { env: { TANSUO_HOME: home }, cwd: folder });
    children.push(child);
    child.stdout?.on("data", (chunk) => {
      printed += chunk;
    });
    await waitFor(() => /Tansuo viewer on http:\/\/127\.0\.0\.1:\d+\//.test(printed) || child.exitCode !== null);
    const url = printed.match(/(http:\/\/127\.0\.0\.1:\d+)\//)?.[1];
    expect(url, printed).toBeDefined();
    expect(printed).not.toContain("xdg-open");

    const page = await fetch(`${url}/`);
    if (existsSync(path.join(repositoryRoot, "dist/ui/index.html"))) {
      expect(page.status).toBe(200);
      expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    } else {
      expect(page.status).toBe(503);
      expect(await page.text()).toContain("The viewer is not built: run `npm run build`");
    }
    const runs = await fetch(`${url}/v1/runs`);
    expect(runs.status).toBe(200);
    expect(await runs.json()).toMatchObject({ object: "list", data: [], has_more: false });

    child.kill("SIGTERM");
    const result = await child.result;
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("Gateway stopped.");
  }, 60_000);
});
