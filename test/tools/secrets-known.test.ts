import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { commandEnvironment, knownSecrets } from "../../src/tools/secret-environment.ts";

const folder = mkdtempSync(path.join(tmpdir(), "tansuo-known-secrets-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const environment = {
  DEEPSEEK_API_KEY: "sk-environment-deepseek-0001",
  GITHUB_TOKEN: "ghp_environment_token_0002",
  PGPASSWORD: "hunter2-but-longer",
  MY_LLM: "value-of-a-variable-named-by-apiKeyEnv",
  PATH: "/usr/bin:/bin",
  HOME: "/home/someone",
  SHORT_TOKEN: "abc",
};

describe("the secrets Tansuo knows", () => {
  it("are the credential variables of the environment, which commands do not get", () => {
    const secrets = knownSecrets(environment, []);
    expect(secrets.sort()).toEqual(
      ["ghp_environment_token_0002", "hunter2-but-longer", "sk-environment-deepseek-0001"].sort(),
    );
    expect(Object.keys(commandEnvironment(environment)).sort()).toEqual(["HOME", "MY_LLM", "PATH"]);
  });

  it("include every key-looking value of the config files, wherever it sits", () => {
    const home = path.join(folder, "config.json");
    writeFileSync(
      home,
      JSON.stringify({
        defaultModel: "deepseek-v4-flash",
        providers: {
          deepseek: { apiKey: "sk-config-provider-key-0003", baseUrl: "https://api.deepseek.com" },
          local: { apiKey: "plain-password-in-config" },
        },
        models: [
          {
            id: "qwen2.5-coder-32b-instruct",
            provider: "openai-compatible",
            apiKeyEnv: "MY_LLM",
            headers: { Authorization: "Bearer tok-in-a-header-0004" },
            notes: "sk-proj-AbCdEf0123456789GhIjKl",
            upstreamModel: "Qwen2-72B-Instruct-GPTQ-Int4-2024-06",
          },
          { id: "doubao-seed-1-6-250615", endpoint: "8f14e45f-ceea-467f-a0e6-2f1b3c4d5e6f" },
        ],
      }),
    );
    const missing = path.join(folder, "tansuo.config.json");
    const secrets = knownSecrets({ MY_LLM: environment.MY_LLM }, ["sk-settings-key-0005"], [home, missing]);
    expect(new Set(secrets)).toEqual(
      new Set([
        "sk-settings-key-0005",
        "sk-config-provider-key-0003",
        "plain-password-in-config",
        "value-of-a-variable-named-by-apiKeyEnv",
        "Bearer tok-in-a-header-0004",
        "tok-in-a-header-0004",
        "sk-proj-AbCdEf0123456789GhIjKl",
        "8f14e45f-ceea-467f-a0e6-2f1b3c4d5e6f",
      ]),
    );
    // Longest first, so a key that holds another is replaced whole.
    expect(secrets.map((value) => value.length)).toEqual(
      [...secrets].map((value) => value.length).sort((a, b) => b - a),
    );
  });
});
