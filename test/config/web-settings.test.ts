import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadSettings } from "../../src/config/load-settings.ts";

let folder: string;
let home: string;
let project: string;
beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), "tansuo-web-config-"));
  home = path.join(folder, "home");
  project = path.join(folder, "project");
  mkdirSync(home);
  mkdirSync(project);
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const load = () => loadSettings({ cwd: project, env: { TANSUO_HOME: home } });
const write = (file: string, value: unknown) => writeFileSync(file, JSON.stringify(value));

describe("config web", () => {
  it("defaults to no allowed hosts, no search backend and approval required", () => {
    expect(load().web).toEqual({ allowHosts: [], requireApproval: true });
  });

  it("reads allowHosts, a search backend and requireApproval from the home file", () => {
    write(path.join(home, "config.json"), {
      web: {
        allowHosts: ["127.0.0.1"],
        search: { provider: "searxng", url: "http://127.0.0.1:8888" },
        requireApproval: false,
      },
    });
    expect(load().web).toEqual({
      allowHosts: ["127.0.0.1"],
      search: { provider: "searxng", url: "http://127.0.0.1:8888" },
      requireApproval: false,
    });
  });

  it("names a search provider it does not know and a key written where a variable name belongs", () => {
    write(path.join(home, "config.json"), { web: { search: { provider: "bing", url: "http://x" } } });
    expect(load).toThrow(/web\.search\.provider: /);
    write(path.join(home, "config.json"), { web: { search: { provider: "brave", apiKeyEnv: "BSA-abc.def" } } });
    expect(load).toThrow(/web\.search\.apiKeyEnv: an environment variable name/);
  });

  it("is refused in a project file: a cloned folder may not widen what fetch_url reaches", () => {
    write(path.join(project, "tansuo.config.json"), { web: { allowHosts: ["169.254.169.254"] } });
    expect(load).toThrow(/web: safety settings belong in \$TANSUO_HOME\/config\.json, not in a project file/);
  });
});
