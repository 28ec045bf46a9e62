import { describe, expect, it } from "vitest";
import { Usd } from "../../src/cost/usd.ts";
import { formatProgressLine } from "../../src/evals/progress/format-progress.ts";
import { createProgressReporter } from "../../src/evals/progress/progress-reporter.ts";
import type { ProgressState } from "../../src/evals/progress/progress-state.ts";
import { renderPassRateCostChart } from "../../src/evals/report/pass-rate-cost-chart.ts";
import { renderReport } from "../../src/evals/report/report-markdown.ts";
import { summarize } from "../../src/evals/run/summarize.ts";
import { capturedStream } from "./support/captured-stream.ts";

const state = (done: number, extra: Partial<ProgressState> = {}): ProgressState => ({
  label: "humaneval deepseek-chat",
  total: 164,
  done,
  passed: done - 2,
  failed: 2,
  errors: 0,
  tokens: 45_678,
  costUsd: "0.0123456",
  elapsedMs: done * 1000,
  ...extra,
});

describe("the progress line", () => {
  it("shows the bar, passed and failed so far, tokens, dollars and an ETA", () => {
    const line = formatProgressLine(state(82));
    expect(line).toBe(
      "humaneval deepseek-chat [█████░░░░░] 82/164 done, 80 passed, 2 failed 45.7k tok $0.0123 ETA 1m22s",
    );
    expect(formatProgressLine(state(2, { total: 20, passed: 1, failed: 1, errors: 0 }))).toContain(
      "2/20 done, 1 passed, 1 failed",
    );
    expect(formatProgressLine(state(0, { passed: 0, failed: 0 }))).toContain("ETA --");
    expect(formatProgressLine(state(82), 40)).toHaveLength(39);
  });

  it("shows small amounts of money with significant digits", () => {
    expect(Usd.format("0")).toBe("$0");
    expect(Usd.format("0.000123456")).toBe("$0.00012");
    expect(Usd.format("1.5")).toBe("$1.5000");
  });

  it("redraws one line on a terminal, and writes a line per tenth elsewhere", () => {
    const terminal = capturedStream();
    const drawn = createProgressReporter(terminal, true);
    drawn.update(state(1));
    drawn.finish(state(164));
    expect(terminal.text().startsWith("\r")).toBe(true);
    expect(terminal.text().endsWith("\n")).toBe(true);

    const log = capturedStream();
    const plain = createProgressReporter(log, false);
    for (let done = 1; done <= 164; done++) plain.update(state(done));
    plain.finish(state(164));
    const lines = log.text().trim().split("\n");
    expect(lines).toHaveLength(10);
    expect(lines[0]).toMatch(/^humaneval deepseek-chat: 17\/164 done \(10%\), 15 passed, 2 failed/);
    expect(log.text()).not.toContain("\r");
  });
});

describe("the chart", () => {
  const points = [
    { label: "deepseek-chat · humaneval", passRate: 0.86, costUsd: "0.00012" },
    { label: "gpt-4o · humaneval", passRate: 0.9, costUsd: "0.004" },
    { label: "local <tiny> · humaneval", passRate: 0.01, costUsd: "0" },
  ];

  it("plots one labelled point per run, on a log scale when costs spread wide", () => {
    const svg = renderPassRateCostChart(points);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toContain("deepseek-chat · humaneval");
    expect(svg).toContain("local &lt;tiny&gt; · humaneval");
    expect(svg).toContain("(log scale)");
    expect(svg).toContain(">$0<");
  });

  it("uses a linear scale when costs are close", () => {
    const svg = renderPassRateCostChart(points.slice(0, 1).concat({ label: "b", passRate: 0.5, costUsd: "0.0002" }));
    expect(svg).not.toContain("log scale");
  });
});

describe("the report", () => {
  it("has a row per run and BFCL accuracy per category", () => {
    const usage = {
      inputTokens: 1200,
      cacheHitTokens: 800,
      cacheMissTokens: 400,
      cacheWriteTokens: 0,
      outputTokens: 300,
      reasoningTokens: 0,
    };
    const result = (taskId: string, category: string, status: "passed" | "failed") => ({
      suite: "bfcl",
      model: "deepseek-chat",
      taskId,
      category,
      sample: 0,
      status,
      answer: "",
      completion: "[]",
      error: null,
      usage,
      costUsd: "0.001",
      latencyMs: 1500,
      temperature: 0,
      scoredAt: "2025-01-01T00:00:00Z",
    });
    const summary = summarize({ suite: "bfcl", model: "deepseek-chat", reference: false }, [
      result("simple_python_0", "simple_python", "passed"),
      result("simple_python_1", "simple_python", "failed"),
      result("irrelevance_0", "irrelevance", "passed"),
    ]);
    const report = renderReport([{ directory: ".", summary }], { generatedAt: new Date("2025-01-01T00:00:00Z") });
    expect(report).toContain(
      "| bfcl | deepseek-chat | . | 3 | 66.7% | – | 3.6k / 900 / 2.4k | $0.003 | $0.0015 | 1.5 s / 1.5 s |",
    );
    expect(report).toContain("| deepseek-chat | 50.0% (2) | 100.0% (1) | 75.0% |");
  });
});

describe("the chart's labels", () => {
  // Each label's box from the SVG, with a conservative 7.5 px per character at 12 px (wider than any Latin glyph's average).
  const labelBoxes = (svg: string) =>
    [...svg.matchAll(/<text x="([\d.-]+)" y="([\d.-]+)" text-anchor="(start|middle|end)">([^<]+)<\/text>/g)]
      .filter((match) => match[4]!.startsWith("model"))
      .map((match) => {
        const width = match[4]!.length * 7.5;
        const x = Number(match[1]);
        const left = match[3] === "start" ? x : match[3] === "end" ? x - width : x - width / 2;
        return { left, right: left + width, top: Number(match[2]) - 12, bottom: Number(match[2]) + 2 };
      });

  it("do not overlap when several runs sit at the same pass rate and cost", () => {
    const points = ["model-alpha", "model-beta", "model-gamma", "model-delta"].map((label) => ({
      label,
      passRate: 0.5,
      costUsd: "0.001",
    }));
    const boxes = labelBoxes(renderPassRateCostChart(points));
    expect(boxes).toHaveLength(4);
    for (const [index, box] of boxes.entries()) {
      for (const other of boxes.slice(index + 1)) {
        const apart =
          box.right <= other.left || other.right <= box.left || box.bottom <= other.top || other.bottom <= box.top;
        expect(apart, `${JSON.stringify(box)} against ${JSON.stringify(other)}`).toBe(true);
      }
    }
  });
});
