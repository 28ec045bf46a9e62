import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { invokeTool } from "../../src/tools/invoke-tool.ts";
import { redactSecrets } from "../../src/tools/secret-environment.ts";
import { defaultToolPolicy, defineTool } from "../../src/tools/tool.ts";
import { Workspace } from "../../src/tools/workspace.ts";

const secret = "sk-redact-me-4c8e1f0a9b7d6e5f";
const other = "ghp_second0secret0token0value0";
const folder = mkdtempSync(path.join(tmpdir(), "tansuo-redaction-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

// Pieces each encoding of the secret must contain whatever precedes it: computed here from Node's encoders.
function fragmentsOf(value: string): string[] {
  const shifted = [0, 1, 2].map((shift) => Buffer.from(`${"\0".repeat(shift)}${value}`));
  return [
    value,
    [...value].reverse().join(""),
    Buffer.from(value).toString("hex").slice(2, -2),
    Buffer.from(value).toString("hex").slice(2, -2).toUpperCase(),
    ...shifted.map((bytes) => bytes.toString("base64").slice(4, -4)),
    ...shifted.map((bytes) => bytes.toString("base64url").slice(4, -4)),
    Buffer.from(value).toString("hex").slice(2, -2).replace(/../g, "%$&"),
  ];
}

const leaks = (text: string) => {
  const compact = text.replace(/\s+/g, "");
  return [secret, other]
    .flatMap(fragmentsOf)
    .filter((fragment) => text.includes(fragment) || compact.includes(fragment));
};

// What a hostile command prints: an environment dump at each of the three byte alignments, through real tools.
const dumps = [
  "cat",
  "base64 -w0",
  "base64",
  "basenc --base64url -w0",
  "basenc --base64url",
  "basenc --base16 -w0",
  "od -An -tx1 -v",
  "od -An -tx1 -v | tr -d ' \\n'",
  "od -An -tx1 -v | tr -d ' \\n' | tr a-f A-F",
  "rev",
  "tac | rev",
];

function dump(pipeline: string, prefix: string): string {
  const file = path.join(folder, `environ-${prefix.length}`);
  writeFileSync(
    file,
    `HOME=/home/someone\n${prefix}DEEPSEEK_API_KEY=${secret}\nGITHUB_TOKEN=${other}\nSHELL=/bin/bash\n`,
  );
  return execFileSync("bash", ["-c", `cat "${file}" | ${pipeline}`], { encoding: "utf8" });
}

describe("redaction of known secrets", () => {
  for (const pipeline of dumps) {
    it(`removes the secrets from \`${pipeline}\` of an environment dump at every alignment`, () => {
      for (const prefix of ["", "X", "XY"]) {
        const output = dump(pipeline, prefix);
        expect(leaks(output).length).toBeGreaterThan(0);
        const redacted = redactSecrets(output, [secret, other]);
        expect(leaks(redacted)).toEqual([]);
        expect(redacted).toContain("[secret redacted]");
      }
    });
  }

  it("leaves no more than a few characters of a key that a dump cuts into lines between offsets", () => {
    // The longest piece of the key left in sight, in the text as printed or with its layout removed.
    const longestPiece = (text: string, value: string) => {
      const views = [text, text.replace(/\s+/g, "")];
      let longest = 0;
      for (let start = 0; start < value.length; start++) {
        for (let end = value.length; end > start + longest; end--) {
          if (views.some((view) => view.includes(value.slice(start, end)))) longest = end - start;
        }
      }
      return longest;
    };
    for (const pipeline of ["xxd", "od -c", "od -An -c", "xxd -c 8"]) {
      for (const prefix of ["", "X", "XY"]) {
        const output = dump(pipeline, prefix);
        expect(longestPiece(output, secret)).toBeGreaterThanOrEqual(8);
        const redacted = redactSecrets(output, [secret, other]);
        expect(longestPiece(redacted, secret)).toBeLessThan(12);
        expect(longestPiece(redacted, other)).toBeLessThan(12);
      }
    }
  });

  it("removes URL-encoded secrets, partly and fully percent-encoded", () => {
    const special = "pa55/word+with=signs&more";
    const fully = [...Buffer.from(special)].map((byte) => `%${byte.toString(16).padStart(2, "0")}`).join("");
    const text = `a=${encodeURIComponent(special)}&b=${fully}&c=${fully.toUpperCase()}`;
    expect(redactSecrets(text, [special])).toBe("a=[secret redacted]&b=[secret redacted]&c=[secret redacted]");
  });

  it("leaves text without secrets alone, including other hex and base64", () => {
    const text = dump("cat", "").replace(secret, "nothing").replace(other, "none");
    const encoded = `${text}\n${Buffer.from(text).toString("base64")}\n${Buffer.from(text).toString("hex")}`;
    expect(redactSecrets(encoded, [secret, other])).toBe(encoded);
  });

  it("keeps 200 KB of output with ten secrets fast", () => {
    const secrets = Array.from({ length: 10 }, (_, index) => `sk-performance-${index}-${"q".repeat(index)}0a1b2c3d`);
    const filler = Buffer.from(Array.from({ length: 150_000 }, (_, index) => (index * 7919) % 251)).toString("base64");
    const text = `${filler.slice(0, 100_000)}\n${secrets[3]}\n${Buffer.from(secrets[7]!).toString("hex")}\n${filler.slice(100_000)}`;
    const started = performance.now();
    const redacted = redactSecrets(text, secrets);
    const elapsed = performance.now() - started;
    expect(redacted.match(/\[secret redacted\]/g)).toHaveLength(2);
    expect(elapsed).toBeLessThan(250);
  });

  it("applies to every tool's output and error text through invokeTool", async () => {
    const echo = defineTool({
      name: "echo",
      description: "echo",
      inputSchema: z.object({ text: z.string(), fail: z.boolean() }),
      needsApproval: false,
      readOnly: true,
      execute: async (input: { text: string; fail: boolean }) => {
        if (input.fail) throw new Error(`could not use ${input.text}`);
        return Buffer.from(input.text).toString("base64");
      },
    });
    const context = {
      workspace: new Workspace(folder),
      signal: new AbortController().signal,
      policy: { ...defaultToolPolicy(), secrets: [secret] },
      warn: () => {},
    };
    const succeeded = await invokeTool(echo, JSON.stringify({ text: `key ${secret}`, fail: false }), context);
    const failed = await invokeTool(echo, JSON.stringify({ text: secret, fail: true }), context);
    const invalid = await invokeTool(echo, `{"text": "${secret}"`, context);
    for (const outcome of [succeeded, failed, invalid]) {
      expect(leaks(outcome.output)).toEqual([]);
      expect(outcome.output).toContain("[secret redacted]");
    }
  });
});
