/** A box in SVG user units: x and y are the top-left corner. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedLabel {
  /** The text's anchor point and alignment, as SVG's `x`, `y` (baseline) and `text-anchor`. */
  x: number;
  y: number;
  anchor: "start" | "middle" | "end";
  box: Box;
  /** Set when the label had to move away from its point: a leader line then shows which point it names. */
  leader?: { x: number; y: number };
}

const fontSize = 12;
const labelHeight = 14;
const pointRadius = 5;

/** A generous width for a 12 px sans-serif label: wide letters and CJK characters (two columns) are counted wider. */
export function labelWidth(text: string): number {
  let width = 0;
  for (const character of text) width += /[\u1100-\uffef]/.test(character) ? fontSize : fontSize * 0.62;
  return width;
}

// Where a label may sit around its point, nearest first: beside, above and below, then further out.
const nearCandidates = 6;
const candidates: Array<{ dx: number; dy: number; anchor: PlacedLabel["anchor"] }> = [
  { dx: 8, dy: -8, anchor: "start" },
  { dx: 8, dy: 16, anchor: "start" },
  { dx: -8, dy: -8, anchor: "end" },
  { dx: -8, dy: 16, anchor: "end" },
  { dx: 0, dy: -12, anchor: "middle" },
  { dx: 0, dy: 22, anchor: "middle" },
  ...[1, 2, 3, 4].flatMap((ring) => [
    { dx: 8, dy: -8 - ring * labelHeight, anchor: "start" as const },
    { dx: 8, dy: 16 + ring * labelHeight, anchor: "start" as const },
    { dx: -8, dy: -8 - ring * labelHeight, anchor: "end" as const },
    { dx: -8, dy: 16 + ring * labelHeight, anchor: "end" as const },
  ]),
];

const overlap = (a: Box, b: Box): number =>
  Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) *
  Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));

const anchorEdge = (box: Box, anchor: PlacedLabel["anchor"]): number =>
  anchor === "start" ? box.x : anchor === "end" ? box.x + box.width : box.x + box.width / 2;

function boxOf(x: number, y: number, anchor: PlacedLabel["anchor"], width: number): Box {
  const left = anchor === "start" ? x : anchor === "end" ? x - width : x - width / 2;
  return { x: left, y: y - fontSize + 1, width, height: labelHeight };
}

/**
 * Places each point's label where it overlaps no other label, no point and stays inside `area`; when nowhere is
 * free (many points in one spot), the place with the least overlap. Greedy, in the order given.
 */
export function placeLabels(points: ReadonlyArray<{ x: number; y: number; label: string }>, area: Box): PlacedLabel[] {
  const pointBoxes = points.map((point) => ({
    x: point.x - pointRadius,
    y: point.y - pointRadius,
    width: pointRadius * 2,
    height: pointRadius * 2,
  }));
  const placed: PlacedLabel[] = [];
  for (const point of points) {
    const width = labelWidth(point.label);
    let best: { label: PlacedLabel; cost: number } | undefined;
    for (const [rank, candidate] of candidates.entries()) {
      const x = point.x + candidate.dx;
      const y = point.y + candidate.dy;
      const box = boxOf(x, y, candidate.anchor, width);
      const outside = box.width * box.height - overlap(box, area);
      // Leaving the area is worse than touching a neighbour: the text would be cut off.
      const cost =
        outside * 4 +
        placed.reduce((sum, other) => sum + overlap(box, other.box), 0) +
        pointBoxes.reduce((sum, other) => sum + overlap(box, other), 0);
      const leader =
        rank < nearCandidates ? {} : { leader: { x: anchorEdge(box, candidate.anchor), y: box.y + box.height / 2 } };
      if (!best || cost < best.cost) best = { label: { x, y, anchor: candidate.anchor, box, ...leader }, cost };
      if (cost === 0) break;
    }
    placed.push(best!.label);
  }
  return placed;
}
