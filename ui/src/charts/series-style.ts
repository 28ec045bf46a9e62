// Series colours with at least 3:1 contrast on white, each with its own fill pattern or point shape, so
// a reader who cannot tell the colours apart still can (WCAG 1.4.1, "use of colour").

export interface SeriesStyle {
  colour: string;
  /** How bars are filled besides the colour. */
  pattern: "solid" | "stripes" | "dots" | "cross";
  pointStyle: "circle" | "rect" | "triangle" | "rectRot" | "star" | "crossRot" | "rectRounded" | "cross";
}

export const seriesStyles: readonly SeriesStyle[] = [
  { colour: "#1d4ed8", pattern: "solid", pointStyle: "circle" },
  { colour: "#b45309", pattern: "stripes", pointStyle: "rect" },
  { colour: "#047857", pattern: "dots", pointStyle: "triangle" },
  { colour: "#7e22ce", pattern: "cross", pointStyle: "rectRot" },
  { colour: "#be123c", pattern: "stripes", pointStyle: "star" },
  { colour: "#0e7490", pattern: "dots", pointStyle: "crossRot" },
  { colour: "#4d7c0f", pattern: "cross", pointStyle: "rectRounded" },
  { colour: "#374151", pattern: "solid", pointStyle: "cross" },
];

export const seriesStyle = (index: number): SeriesStyle => seriesStyles[index % seriesStyles.length]!;

const patternCache = new Map<string, CanvasPattern | string>();

/** A bar fill: the colour, with white stripes, dots or a cross-hatch drawn over it. */
export function barFill(style: SeriesStyle): CanvasPattern | string {
  if (style.pattern === "solid") return style.colour;
  const cacheKey = `${style.colour}-${style.pattern}`;
  const cached = patternCache.get(cacheKey);
  if (cached) return cached;
  const tile = document.createElement("canvas");
  tile.width = 8;
  tile.height = 8;
  const context = tile.getContext("2d");
  if (!context) return style.colour;
  context.fillStyle = style.colour;
  context.fillRect(0, 0, 8, 8);
  context.strokeStyle = "rgba(255,255,255,0.75)";
  context.fillStyle = "rgba(255,255,255,0.75)";
  context.lineWidth = 1.5;
  if (style.pattern === "stripes") {
    context.beginPath();
    context.moveTo(0, 8);
    context.lineTo(8, 0);
    context.moveTo(-2, 2);
    context.lineTo(2, -2);
    context.moveTo(6, 10);
    context.lineTo(10, 6);
    context.stroke();
  } else if (style.pattern === "dots") {
    context.beginPath();
    context.arc(4, 4, 1.6, 0, Math.PI * 2);
    context.fill();
  } else {
    context.beginPath();
    context.moveTo(0, 0);
    context.lineTo(8, 8);
    context.moveTo(8, 0);
    context.lineTo(0, 8);
    context.stroke();
  }
  const pattern = context.createPattern(tile, "repeat") ?? style.colour;
  patternCache.set(cacheKey, pattern);
  return pattern;
}

/** Chart.js dataset colours for a bar series. */
export const barColours = (index: number) => {
  const style = seriesStyle(index);
  return { backgroundColor: barFill(style), borderColor: style.colour, borderWidth: 1 };
};

/** Chart.js dataset colours and point shape for a line or scatter series. */
export const lineColours = (index: number) => {
  const style = seriesStyle(index);
  return {
    borderColor: style.colour,
    backgroundColor: style.colour,
    pointStyle: style.pointStyle,
    pointRadius: 4,
    pointHoverRadius: 6,
    // Cross and star shapes are only strokes: a thicker line keeps them visible.
    pointBorderWidth: 2,
  };
};
