import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const script = path.resolve("scripts/check-money-imports.js");
const folders: string[] = [];
const check = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: "utf8" });

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe("the money imports check", () => {
  it("passes on this repository: decimal.js is imported in src/cost only", () => {
    const result = check();
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
  });

  it("fails on a file outside src/cost that imports decimal.js, statically or dynamically, and names it", () => {
    const folder = mkdtempSync(path.join(tmpdir(), "tansuo-money-"));
    folders.push(folder);
    mkdirSync(path.join(folder, "server"));
    writeFileSync(path.join(folder, "server", "static.ts"), 'import { Decimal } from "decimal.js";\n');
    writeFileSync(path.join(folder, "dynamic.ts"), 'const { Decimal } = await import("decimal.js");\n');
    writeFileSync(path.join(folder, "clean.ts"), 'import { Usd } from "../src/cost/usd.ts";\n');
    const result = check(folder);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("2 file(s) outside src/cost import decimal.js");
    expect(result.stderr).toContain(path.join(folder, "server", "static.ts"));
    expect(result.stderr).toContain(path.join(folder, "dynamic.ts"));
    expect(result.stderr).not.toContain("clean.ts");
  });
});
