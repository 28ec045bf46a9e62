import { type ChatWrapper, LlamaText, type LlamaTextInputValue, SpecialToken, SpecialTokensText } from "node-llama-cpp";

/** How a chat wrapper's model writes tool calls, as plain text: the markers it was trained on. */
export interface NativeCallSyntax {
  /** Text before the first call of a turn: the section prefix and the call prefix, e.g. `\n<tool_call>\n{"name": "`. */
  opener: string;
  /** The start of the opener that tells a call from text while the model writes freely, e.g. `<tool_call>`. */
  trigger: string;
  callPrefix: string;
  paramsPrefix(toolName: string): string;
  suffix(toolName: string): string;
  /** Text between two calls of one turn, including the next call's prefix; undefined when the wrapper allows one call. */
  between: string | undefined;
  sectionSuffix: string;
}

// End-of-turn markers end generation as tokens; a grammar that spelled them out would make the model type them.
const trailingTurnEnd = /(<\|[A-Za-z0-9_]+\|>\s*)+$/;

/** The call markers of `chatWrapper`, read from its `settings.functions` as node-llama-cpp renders them. */
export function nativeCallSyntax(chatWrapper: ChatWrapper): NativeCallSyntax {
  const { call, parallelism } = chatWrapper.settings.functions;
  const callPrefix = plainText(call.prefix);
  const sectionPrefix = plainText(parallelism?.call.sectionPrefix ?? "");
  const opener = `${sectionPrefix}${callPrefix}`;
  const named = (value: LlamaTextInputValue, toolName: string) =>
    plainText(value).replaceAll("{{functionName}}", toolName);
  return {
    opener,
    trigger: triggerOf(parallelism?.call.sectionPrefix ?? "", call.prefix) || opener,
    callPrefix,
    paramsPrefix: (toolName) => named(call.paramsPrefix, toolName),
    suffix: (toolName) => withoutTurnEnd(named(call.suffix, toolName)),
    between: parallelism ? `${plainText(parallelism.call.betweenCalls ?? "")}${callPrefix}` : undefined,
    sectionSuffix: withoutTurnEnd(plainText(parallelism?.call.sectionSuffix ?? "")),
  };
}

/** The text of a LlamaText with special tokens written out and builtin tokens (BOS, EOS) left out. */
export function plainText(value: LlamaTextInputValue): string {
  return LlamaText(value)
    .values.map((item) => {
      if (typeof item === "string") return item;
      if (item instanceof SpecialTokensText) return item.value;
      return "";
    })
    .join("");
}

function withoutTurnEnd(text: string): string {
  return text.replace(trailingTurnEnd, "");
}

// The marker the model writes first: the first special-token text of the opener, or its first non-blank word.
function triggerOf(sectionPrefix: LlamaTextInputValue, callPrefix: LlamaTextInputValue): string {
  const values = [...LlamaText(sectionPrefix).values, ...LlamaText(callPrefix).values];
  const special = values.find((item) => item instanceof SpecialTokensText && item.value.trim() !== "");
  if (special instanceof SpecialTokensText) return special.value.trim();
  const text = values
    .map((item) => (typeof item === "string" ? item : item instanceof SpecialToken ? "" : item.value))
    .join("");
  return text.trim().split(/\s+/)[0] ?? "";
}
