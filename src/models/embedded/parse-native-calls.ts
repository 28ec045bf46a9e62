import type { NativeCallSyntax } from "./native-call-syntax.ts";

export interface ParsedCall {
  toolName: string;
  /** The arguments as the model wrote them: JSON text of the value. */
  input: string;
}

/**
 * The calls in `text`, which starts with the syntax's opener and was written under `nativeCallsGrammar`.
 * Returns the calls read whole, and whether the text held nothing else (false when the output limit cut a call).
 */
export function parseNativeCalls(
  text: string,
  syntax: NativeCallSyntax,
  toolNames: string[],
): { calls: ParsedCall[]; complete: boolean } {
  const calls: ParsedCall[] = [];
  // Longer names first, so a tool whose name extends another's is matched whole.
  const names = [...toolNames].sort((left, right) => right.length - left.length);
  let position = text.startsWith(syntax.opener) ? syntax.opener.length : -1;
  while (position >= 0) {
    const toolName = names.find((name) => text.startsWith(name + syntax.paramsPrefix(name), position));
    if (toolName === undefined) break;
    const inputStart = position + toolName.length + syntax.paramsPrefix(toolName).length;
    const inputEnd = jsonValueEnd(text, inputStart);
    if (inputEnd === undefined) break;
    const input = text.slice(inputStart, inputEnd);
    const afterInput = text.slice(inputEnd).trimStart();
    if (!afterInput.startsWith(syntax.suffix(toolName))) break;
    calls.push({ toolName, input });
    const rest = afterInput.slice(syntax.suffix(toolName).length);
    position = text.length - rest.length;
    if (syntax.between === undefined || !text.startsWith(syntax.between, position)) {
      const remainder = text.slice(position).trim();
      return { calls, complete: remainder === "" || remainder === syntax.sectionSuffix.trim() };
    }
    position += syntax.between.length;
  }
  return { calls, complete: false };
}

/** Where the JSON value that starts at `start` ends, or undefined when the text ends first. */
function jsonValueEnd(text: string, start: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index++) {
    const character = text[index];
    if (inString) {
      if (character === "\\") index += 1;
      else if (character === '"') {
        inString = false;
        if (depth === 0) return index + 1;
      }
      continue;
    }
    // A bare value (number, true, null) ends at the first character that cannot continue it.
    if (depth === 0 && index > start && /[\s,)<}\]]/.test(character ?? "")) return index;
    if (character === '"') inString = true;
    else if (character === "{" || character === "[") depth += 1;
    else if (character === "}" || character === "]") {
      depth -= 1;
      if (depth === 0) return index + 1;
    }
  }
  return depth === 0 && !inString && text.length > start ? text.length : undefined;
}
