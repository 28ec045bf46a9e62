// Beyond this many compared line pairs the changed middle is shown as one replacement (no table that large).
const maximumTableCells = 4_000_000;
const contextLines = 3;

type Edit = { kind: " " | "-" | "+"; line: string };

/** Lines keeping their "\n", so a last line without one differs from the same line with one (as diff(1) says). */
function splitLines(text: string): string[] {
  if (text === "") return [];
  return text.split(/(?<=\n)/);
}

function edits(before: string[], after: string[]): Edit[] {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  const head = before.slice(0, start).map((line): Edit => ({ kind: " ", line }));
  const tail = before.slice(endBefore).map((line): Edit => ({ kind: " ", line }));
  return [...head, ...middleEdits(before.slice(start, endBefore), after.slice(start, endAfter)), ...tail];
}

/** Longest common subsequence of lines, by table (small middles) or as a whole replacement (large ones). */
function middleEdits(before: string[], after: string[]): Edit[] {
  const rows = before.length;
  const columns = after.length;
  if ((rows + 1) * (columns + 1) > maximumTableCells) {
    return [...before.map((line): Edit => ({ kind: "-", line })), ...after.map((line): Edit => ({ kind: "+", line }))];
  }
  const width = columns + 1;
  const table = new Uint32Array((rows + 1) * width);
  for (let row = rows - 1; row >= 0; row--) {
    for (let column = columns - 1; column >= 0; column--) {
      table[row * width + column] =
        before[row] === after[column]
          ? table[(row + 1) * width + column + 1]! + 1
          : Math.max(table[(row + 1) * width + column]!, table[row * width + column + 1]!);
    }
  }
  const result: Edit[] = [];
  let row = 0;
  let column = 0;
  while (row < rows || column < columns) {
    if (row < rows && column < columns && before[row] === after[column]) {
      result.push({ kind: " ", line: before[row++]! });
      column++;
    } else if (
      row < rows &&
      (column === columns || table[(row + 1) * width + column]! >= table[row * width + column + 1]!)
    ) {
      result.push({ kind: "-", line: before[row++]! });
    } else {
      result.push({ kind: "+", line: after[column++]! });
    }
  }
  return result;
}

const range = (start: number, count: number) => `${count === 0 ? start : start + 1}${count === 1 ? "" : `,${count}`}`;

function printed(edit: Edit): string {
  const line = edit.line.endsWith("\n") ? edit.line : `${edit.line}\n\\ No newline at end of file\n`;
  return `${edit.kind}${line}`;
}

/**
 * A unified diff (diff -u style, 3 lines of context) of two texts; "" when they are equal. `undefined` stands for
 * a file that did not exist (shown as /dev/null).
 */
export function unifiedDiff(path: string, before: string | undefined, after: string | undefined): string {
  const all = edits(splitLines(before ?? ""), splitLines(after ?? ""));
  if (all.every((edit) => edit.kind === " ") && (before === undefined) === (after === undefined)) return "";
  const changed = all.flatMap((edit, index) => (edit.kind === " " ? [] : [index]));
  let output = `--- ${before === undefined ? "/dev/null" : `a/${path}`}\n+++ ${after === undefined ? "/dev/null" : `b/${path}`}\n`;
  let index = 0;
  while (index < changed.length) {
    const first = Math.max(0, changed[index]! - contextLines);
    let last = changed[index]!;
    while (index + 1 < changed.length && changed[index + 1]! - last <= contextLines * 2) last = changed[++index]!;
    index++;
    const end = Math.min(all.length, last + contextLines + 1);
    const hunk = all.slice(first, end);
    const beforeStart = all.slice(0, first).filter((edit) => edit.kind !== "+").length;
    const afterStart = all.slice(0, first).filter((edit) => edit.kind !== "-").length;
    const beforeCount = hunk.filter((edit) => edit.kind !== "+").length;
    const afterCount = hunk.filter((edit) => edit.kind !== "-").length;
    output += `@@ -${range(beforeStart, beforeCount)} +${range(afterStart, afterCount)} @@\n`;
    output += hunk.map(printed).join("");
  }
  return output;
}
