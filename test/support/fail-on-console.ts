import { afterEach, beforeEach, vi } from "vitest";

// Noise hides signal: a test that prints to the console fails.
const methods = ["log", "info", "warn", "error", "debug"] as const;
let printed: string[] = [];

beforeEach(() => {
  printed = [];
  for (const method of methods) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      printed.push(`console.${method}: ${args.map(String).join(" ")}`);
    });
  }
});

afterEach(() => {
  for (const method of methods) vi.mocked(console[method]).mockRestore();
  if (printed.length > 0) throw new Error(`Test printed to the console:\n${printed.join("\n")}`);
});
