import type { Chart, Plugin } from "chart.js";

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const overlaps = (a: Box, b: Box): boolean =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

// Places tried around a point, nearest first; a label farther out gets a thin leader line to its point.
const offsets: ReadonlyArray<readonly [number, number]> = [
  [8, -6],
  [-8, -6],
  [8, 10],
  [-8, 10],
  [0, -14],
  [0, 18],
  [16, -22],
  [-16, -22],
  [16, 26],
  [-16, 26],
  [30, 0],
  [-30, 0],
  [24, -36],
  [-24, -36],
  [24, 40],
  [-24, 40],
];

/** Draws each scatter point's name beside it, moving a label until it collides with no other label or point. */
export function pointLabels(
  labelOf: (datasetIndex: number, index: number) => string,
  colourOf: (datasetIndex: number) => string,
): Plugin<"scatter"> {
  return {
    id: "pointLabels",
    afterDatasetsDraw(chart: Chart<"scatter">) {
      const { ctx, chartArea } = chart;
      ctx.save();
      ctx.font = `12px ${getComputedStyle(document.documentElement).fontFamily || "sans-serif"}`;
      ctx.textBaseline = "middle";
      const points: Array<{ x: number; y: number; text: string; colour: string }> = [];
      chart.data.datasets.forEach((_dataset, datasetIndex) => {
        if (!chart.isDatasetVisible(datasetIndex)) return;
        chart.getDatasetMeta(datasetIndex).data.forEach((element, index) => {
          points.push({
            x: element.x,
            y: element.y,
            text: labelOf(datasetIndex, index),
            colour: colourOf(datasetIndex),
          });
        });
      });
      const taken: Box[] = points.map((point) => ({
        left: point.x - 5,
        right: point.x + 5,
        top: point.y - 5,
        bottom: point.y + 5,
      }));
      for (const point of points) {
        const width = ctx.measureText(point.text).width;
        const height = 14;
        let chosen: { box: Box; far: boolean } | undefined;
        for (const [dx, dy] of offsets) {
          const left = dx >= 0 ? point.x + dx : point.x + dx - width;
          const box = { left, right: left + width, top: point.y + dy - height / 2, bottom: point.y + dy + height / 2 };
          const inside =
            box.left >= chartArea.left - 4 &&
            box.right <= chart.width - 2 &&
            box.top >= 0 &&
            box.bottom <= chart.height;
          if (inside && !taken.some((other) => overlaps(box, other))) {
            chosen = { box, far: Math.abs(dx) > 10 || Math.abs(dy) > 14 };
            break;
          }
        }
        // Nowhere free: the first place that fits the chart, even if crowded.
        if (!chosen) {
          const left = point.x + 8 + width > chart.width ? point.x - 8 - width : point.x + 8;
          chosen = { box: { left, right: left + width, top: point.y - 13, bottom: point.y + 1 }, far: false };
        }
        taken.push(chosen.box);
        const middleY = (chosen.box.top + chosen.box.bottom) / 2;
        if (chosen.far) {
          ctx.strokeStyle = point.colour;
          ctx.lineWidth = 1;
          ctx.beginPath();
          ctx.moveTo(point.x, point.y);
          ctx.lineTo(chosen.box.left > point.x ? chosen.box.left : chosen.box.right, middleY);
          ctx.stroke();
        }
        ctx.fillStyle = "rgba(255,255,255,0.85)";
        ctx.fillRect(chosen.box.left - 1, chosen.box.top, chosen.box.right - chosen.box.left + 2, height);
        // The label in its point's colour (all series colours read at 4.5:1 on white) ties the two together.
        ctx.fillStyle = point.colour;
        ctx.fillText(point.text, chosen.box.left, middleY);
      }
      ctx.restore();
    },
  };
}
