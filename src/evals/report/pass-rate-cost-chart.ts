import { Usd } from "../../cost/usd.ts";
import { placeLabels } from "./chart-label-placement.ts";

export interface ChartPoint {
  label: string;
  /** 0..1 */
  passRate: number;
  /** USD per task, as a decimal string. */
  costUsd: string;
}

const width = 760;
const height = 460;
const plot = { left: 80, right: 30, top: 56, bottom: 70 };
const plotWidth = width - plot.left - plot.right;
const plotHeight = height - plot.top - plot.bottom;
// With a log scale, runs that cost nothing sit in a band at the left edge.
const freeBand = 70;
const freeX = plot.left + 20;

// Axis ticks read best short: $0.001, $0.01, $1.
const tickLabel = (cost: number) => Usd.formatSignificant(cost, 3);

const escapeXml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

interface Scale {
  x(cost: number): number;
  ticks: Array<{ cost: number; label: string }>;
  logarithmic: boolean;
}

function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

function costScale(costs: readonly number[]): Scale {
  const positive = costs.filter((cost) => cost > 0);
  const minimum = Math.min(...positive);
  const maximum = Math.max(...positive);
  if (positive.length >= 2 && maximum / minimum >= 20) {
    const low = Math.floor(Math.log10(minimum));
    const high = Math.max(low + 1, Math.ceil(Math.log10(maximum)));
    const hasFree = positive.length < costs.length;
    const start = plot.left + (hasFree ? freeBand : 0);
    const span = plot.left + plotWidth - start;
    const ticks = Array.from({ length: high - low + 1 }, (_, index) => ({
      cost: 10 ** (low + index),
      label: tickLabel(10 ** (low + index)),
    }));
    return {
      x: (cost) => (cost <= 0 ? freeX : start + ((Math.log10(cost) - low) / (high - low)) * span),
      ticks: hasFree ? [{ cost: 0, label: "$0" }, ...ticks] : ticks,
      logarithmic: true,
    };
  }
  const top = positive.length === 0 ? 1 : niceCeiling(maximum * 1.1);
  const ticks = Array.from({ length: 6 }, (_, index) => ({
    cost: (top * index) / 5,
    label: tickLabel((top * index) / 5),
  }));
  return { x: (cost) => plot.left + (cost / top) * plotWidth, ticks, logarithmic: false };
}

const y = (passRate: number) => plot.top + (1 - passRate) * plotHeight;

/** An SVG scatter plot, one labelled point per run: pass rate up, dollars per task right (log scale when spread wide). */
export function renderPassRateCostChart(points: readonly ChartPoint[], title = "Pass rate against cost"): string {
  const scale = costScale(points.map((point) => Usd.toPlotPosition(point.costUsd)));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="28" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  for (let step = 0; step <= 5; step++) {
    const rate = step / 5;
    parts.push(
      `<line x1="${plot.left}" x2="${plot.left + plotWidth}" y1="${y(rate)}" y2="${y(rate)}" stroke="#e5e5e5"/>`,
      `<text x="${plot.left - 8}" y="${y(rate) + 4}" text-anchor="end">${Math.round(rate * 100)}%</text>`,
    );
  }
  for (const tick of scale.ticks) {
    const x = scale.x(tick.cost);
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${plot.top}" y2="${plot.top + plotHeight}" stroke="#e5e5e5"/>`,
      `<text x="${x}" y="${plot.top + plotHeight + 18}" text-anchor="middle">${escapeXml(tick.label)}</text>`,
    );
  }
  parts.push(
    `<line x1="${plot.left}" x2="${plot.left}" y1="${plot.top}" y2="${plot.top + plotHeight}" stroke="#333"/>`,
    `<line x1="${plot.left}" x2="${plot.left + plotWidth}" y1="${plot.top + plotHeight}" y2="${plot.top + plotHeight}" stroke="#333"/>`,
    `<text x="${plot.left + plotWidth / 2}" y="${height - 22}" text-anchor="middle">cost per task, USD${scale.logarithmic ? " (log scale)" : ""}</text>`,
    `<text transform="translate(22 ${plot.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">pass rate</text>`,
  );
  const sorted = [...points].sort((a, b) => Usd.compare(a.costUsd, b.costUsd));
  const positioned = sorted.map((point) => ({
    ...point,
    x: scale.x(Usd.toPlotPosition(point.costUsd)),
    y: y(Math.min(1, Math.max(0, point.passRate))),
  }));
  // Labels stay inside the plot (above the x axis's tick labels) and clear of each other and of the points.
  const labels = placeLabels(positioned, {
    x: plot.left,
    y: plot.top - 20,
    width: plotWidth + plot.right - 4,
    height: plotHeight + 16,
  });
  for (const [index, point] of positioned.entries()) {
    const label = labels[index]!;
    if (label.leader) {
      parts.push(
        `<line x1="${point.x.toFixed(1)}" y1="${point.y.toFixed(1)}" x2="${label.leader.x.toFixed(1)}" y2="${label.leader.y.toFixed(1)}" stroke="#94a3b8"/>`,
      );
    }
    parts.push(
      `<circle cx="${point.x.toFixed(1)}" cy="${point.y.toFixed(1)}" r="5" fill="#2563eb"><title>${escapeXml(`${point.label}: ${(point.passRate * 100).toFixed(1)}%, ${Usd.format(point.costUsd)} per task`)}</title></circle>`,
      `<text x="${label.x.toFixed(1)}" y="${label.y.toFixed(1)}" text-anchor="${label.anchor}">${escapeXml(point.label)}</text>`,
    );
  }
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
