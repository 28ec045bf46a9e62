import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadSettings } from "../../src/config/load-settings.ts";
import { telemetryOptions } from "../../src/telemetry/telemetry-options.ts";
import { packagesLoadedBy } from "../support/packages-loaded.ts";

// Telemetry costs nothing at start-up: light commands never import the SDK, even with the variables set.
const folder = mkdtempSync(path.join(tmpdir(), "tansuo-otel-loading-"));
const home = path.join(folder, "home");
mkdirSync(home);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The @opentelemetry packages a CLI invocation imports. */
async function openTelemetryPackagesLoadedBy(args: string[], env: Record<string, string>) {
  const { exitCode, packages } = await packagesLoadedBy(args, { folder, env: { TANSUO_HOME: home, ...env } });
  return { exitCode, packages: [...packages].filter((name) => name.startsWith("@opentelemetry/")) };
}

// Nothing listens there: the check is about what is imported, and no command here exports a span.
const enabled = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9" };

describe("telemetry is loaded only when it is on and a command runs agents", () => {
  for (const args of [["--help"], ["models"]]) {
    it(`\`tansuo ${args.join(" ")}\` imports no @opentelemetry module with OTEL_EXPORTER_OTLP_ENDPOINT set`, async () => {
      const { exitCode, packages } = await openTelemetryPackagesLoadedBy(args, enabled);
      expect(exitCode).toBe(0);
      expect(packages).toEqual([]);
    });
  }

  it("`tansuo runs list` imports none without the variables, and the SDK with them (the check sees it)", async () => {
    const off = await openTelemetryPackagesLoadedBy(["runs", "list"], {});
    expect(off.exitCode).toBe(0);
    expect(off.packages).toEqual([]);
    const on = await openTelemetryPackagesLoadedBy(["runs", "list"], enabled);
    expect(on.exitCode).toBe(0);
    expect(on.packages).toEqual(
      expect.arrayContaining([
        "@opentelemetry/api",
        "@opentelemetry/sdk-trace-node",
        "@opentelemetry/exporter-trace-otlp-http",
      ]),
    );
  });

  it("reads the standard variables, and OTEL_SDK_DISABLED turns it off", () => {
    expect(telemetryOptions(undefined, {})).toBeUndefined();
    expect(
      telemetryOptions(undefined, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://127.0.0.1:4318/v1/traces" }),
    ).toEqual({
      headers: {},
      captureContent: false,
      serviceName: "tansuo",
    });
    expect(
      telemetryOptions(
        { endpoint: "http://127.0.0.1:4318/", headers: { a: "b" }, captureContent: false },
        { OTEL_SERVICE_NAME: "svc", OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: "true" },
      ),
    ).toEqual({
      tracesUrl: "http://127.0.0.1:4318/v1/traces",
      headers: { a: "b" },
      captureContent: true,
      serviceName: "svc",
    });
    expect(telemetryOptions({ headers: {}, captureContent: false }, { OTEL_SDK_DISABLED: "true" })).toBeUndefined();
  });

  it("refuses a telemetry section in a project's tansuo.config.json (it would pick where run content goes)", () => {
    const project = path.join(folder, "project");
    mkdirSync(project, { recursive: true });
    writeFileSync(
      path.join(project, "tansuo.config.json"),
      JSON.stringify({ telemetry: { endpoint: "http://x.test" } }),
    );
    expect(() => loadSettings({ cwd: project, env: { TANSUO_HOME: home } })).toThrow(
      /telemetry: safety settings belong in \$TANSUO_HOME\/config.json/,
    );
  });
});
