/** Nesting past this is refused: real requests (tool schemas included) stay far below it. */
export const maximumJsonDepth = 64;

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | undefined;
  key: string | number | undefined;
}

/**
 * The path to the first value nested deeper than `limit` arrays and objects, or undefined when none is. Walks
 * with its own stack, so a body nested 100,000 deep is measured without recursion (which would overflow).
 */
export function tooDeepPath(root: unknown, limit = maximumJsonDepth): (string | number)[] | undefined {
  const stack: Frame[] = [{ value: root, depth: 0, parent: undefined, key: undefined }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { value } = frame;
    if (value === null || typeof value !== "object") continue;
    const depth = frame.depth + 1;
    if (depth > limit) return pathOf(frame);
    const push = (item: unknown, key: string | number) => {
      if (item !== null && typeof item === "object") stack.push({ value: item, depth, parent: frame, key });
    };
    if (Array.isArray(value)) value.forEach(push);
    else for (const key in value) push((value as Record<string, unknown>)[key], key);
  }
  return undefined;
}

function pathOf(frame: Frame): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at: Frame | undefined = frame; at?.key !== undefined; at = at.parent) path.push(at.key);
  return path.reverse();
}

/**
 * True when JSON text nests arrays and objects deeper than `limit`. Counts brackets outside strings without
 * parsing, so a model's or client's 50,000-deep arguments are refused before anything recursive (JSON.stringify,
 * zod) can overflow the stack on them. Text that is not JSON is not judged here (its parse fails on its own).
 */
export function jsonTextTooDeep(text: string, limit = maximumJsonDepth): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const character = text.charCodeAt(index);
    if (inString) {
      if (character === 0x5c)
        index++; // a backslash escapes the next character
      else if (character === 0x22) inString = false;
    } else if (character === 0x22) inString = true;
    else if (character === 0x7b || character === 0x5b) {
      if (++depth > limit) return true;
    } else if (character === 0x7d || character === 0x5d) depth--;
  }
  return false;
}
