import { describe, expect, it } from "vitest";
import { configFiles } from "./config-files.ts";

const { homeFile, projectFile, write, load } = configFiles();

describe("config web", () => {
  it("defaults to no allowed hosts, no search backend and approval required", () => {
    expect(load().web).toEqual({ allowHosts: [], requireApproval: true });
  });

  it("reads allowHosts, a search backend and requireApproval from the home file", () => {
    write(homeFile(), {
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
    write(homeFile(), { web: { search: { provider: "bing", url: "http://x" } } });
    expect(load).toThrow(/web\.search\.provider: /);
    write(homeFile(), { web: { search: { provider: "brave", apiKeyEnv: "BSA-abc.def" } } });
    expect(load).toThrow(/web\.search\.apiKeyEnv: an environment variable name/);
  });

  it("is refused in a project file: a cloned folder may not widen what fetch_url reaches", () => {
    write(projectFile(), { web: { allowHosts: ["169.254.169.254"] } });
    expect(load).toThrow(/web: safety settings belong in \$TANSUO_HOME\/config\.json, not in a project file/);
  });
});
