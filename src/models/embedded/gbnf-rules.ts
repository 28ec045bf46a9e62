/** A GBNF grammar under construction: named rules, each built once, so recursive references terminate. */
export class GbnfRules {
  private readonly bodies = new Map<string, string>();
  private counter = 0;

  /** Defines `name` with the body `build` returns, unless it is already defined; returns the name. */
  define(name: string, build: () => string): string {
    if (this.bodies.has(name)) return name;
    // Reserved before building so a rule that refers to itself finds its own name.
    this.bodies.set(name, "");
    this.bodies.set(name, build());
    return name;
  }

  /** A fresh rule name that starts with `hint`. */
  freshName(hint: string): string {
    this.counter += 1;
    const cleaned = hint.replace(/[^a-zA-Z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "rule";
    return `${cleaned.slice(0, 40)}-${this.counter}`;
  }

  /** The whole grammar text, with `root ::= rootExpression` first. */
  render(rootExpression: string): string {
    const lines = [`root ::= ${rootExpression}`];
    for (const [name, body] of this.bodies) lines.push(`${name} ::= ${body}`);
    return `${lines.join("\n")}\n`;
  }
}

/** A GBNF string literal matching `text` exactly. */
export function gbnfLiteral(text: string): string {
  let escaped = "";
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (character === '"') escaped += '\\"';
    else if (character === "\\") escaped += "\\\\";
    else if (character === "\n") escaped += "\\n";
    else if (character === "\r") escaped += "\\r";
    else if (character === "\t") escaped += "\\t";
    else if (code < 0x20 || code === 0x7f) escaped += `\\x${code.toString(16).padStart(2, "0")}`;
    else escaped += character;
  }
  return `"${escaped}"`;
}

/** Shared JSON building blocks; lengths and digit counts are bounded so a weak model cannot loop forever. */
export const jsonPrimitives = {
  whitespace: (rules: GbnfRules) => rules.define("ws", () => '( " " | "\\n" [ \\t]{0,16} )?'),
  stringCharacter: (rules: GbnfRules) =>
    rules.define("string-char", () => '[^"\\\\\\x00-\\x1f] | "\\\\" ( ["\\\\/bfnrt] | "u" [0-9a-fA-F]{4} )'),
  // Outside the Basic Multilingual Plane one code point is two UTF-16 units, which would break length checks.
  boundedStringCharacter: (rules: GbnfRules) =>
    rules.define(
      "bmp-string-char",
      () => '[^"\\\\\\x00-\\x1f\\U00010000-\\U0010FFFF] | "\\\\" ( ["\\\\/bfnrt] | "u" [0-9a-fA-F]{4} )',
    ),
  string: (rules: GbnfRules) => rules.define("string", () => `"\\"" ${jsonPrimitives.stringCharacter(rules)}* "\\""`),
  // At most 15 digits keeps every integer safe in JavaScript (below 2^53).
  naturalDigits: () => '( "0" | [1-9] [0-9]{0,14} )',
  boolean: (rules: GbnfRules) => rules.define("boolean", () => '"true" | "false"'),
  null: (rules: GbnfRules) => rules.define("null", () => '"null"'),
  /** Any JSON value. */
  value: (rules: GbnfRules): string =>
    rules.define("value", () => {
      const whitespace = jsonPrimitives.whitespace(rules);
      const string = jsonPrimitives.string(rules);
      const object = rules.define(
        "any-object",
        () =>
          `"{" ${whitespace} ( ${string} ${whitespace} ":" ${whitespace} value ` +
          `( ${whitespace} "," ${whitespace} ${string} ${whitespace} ":" ${whitespace} value )* )? ${whitespace} "}"`,
      );
      const array = rules.define(
        "any-array",
        () => `"[" ${whitespace} ( value ( ${whitespace} "," ${whitespace} value )* )? ${whitespace} "]"`,
      );
      const number = rules.define("any-number", () => `"-"? ${jsonPrimitives.naturalDigits()} ( "." [0-9]{1,15} )?`);
      return `${object} | ${array} | ${string} | ${number} | ${jsonPrimitives.boolean(rules)} | ${jsonPrimitives.null(rules)}`;
    }),
};
