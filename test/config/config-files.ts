import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach } from "vitest";
import { loadSettings } from "../../src/config/load-settings.ts";

/**
 * A fresh $TANSUO_HOME and project folder for each test of the file that calls it: where the two config files go,
 * `write` (a value as JSON, a string as it is) and `load` (the settings as a run in the project would read them).
 */
export function configFiles() {
  let folder = "";
  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), "tansuo-config-"));
    mkdirSync(path.join(folder, "home"));
    mkdirSync(path.join(folder, "project"));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));
  const home = () => path.join(folder, "home");
  const project = () => path.join(folder, "project");
  return {
    homeFile: () => path.join(home(), "config.json"),
    projectFile: () => path.join(project(), "tansuo.config.json"),
    write: (file: string, value: unknown) =>
      writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value)),
    load: () => loadSettings({ cwd: project(), env: { TANSUO_HOME: home() } }),
  };
}
