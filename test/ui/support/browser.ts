import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** Debian's chromium (installed by .ci/run); CHROMIUM_PATH names another. Never a downloaded browser. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  const found = candidates.find((candidate) => candidate && existsSync(candidate));
  if (!found) {
    throw new Error(
      "No chromium for the browser tests: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH.",
    );
  }
  return found;
}

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox", "--disable-gpu"] });

/** Builds the viewer from ui/ into a fresh folder, so the tests see the source as it is, not a stale dist/ui. */
export async function buildViewer(): Promise<string> {
  const { build } = await import("vite");
  const outDir = mkdtempSync(path.join(tmpdir(), "tansuo-viewer-"));
  await build({
    configFile: path.join(repositoryRoot, "ui", "vite.config.ts"),
    build: { outDir, emptyOutDir: true },
    logLevel: "silent",
  });
  return outDir;
}

export interface AccessibilityViolation {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AccessibilityViolation[]> {
  const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    // The function runs in the page, where axe is a global the injected script defined.
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected as a global script.
    const page = globalThis as any;
    const result = await page.axe.run(page.document);
    return (
      result.violations as Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }>
    )
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        nodes: violation.nodes.map((node) => node.target.join(" ")),
      }));
  });
}

/** Keeps a screenshot of the page as a test artifact in test-artifacts/ui/. */
export async function keepScreenshot(page: Page, name: string): Promise<string> {
  const folder = path.join(repositoryRoot, "test-artifacts", "ui");
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
