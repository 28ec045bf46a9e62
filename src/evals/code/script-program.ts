import type * as TypeScript from "typescript";
import type { CodeTask } from "./code-task.ts";
import { typescript } from "./typescript-module.ts";

type Statement = TypeScript.Statement;

function declaredNames(ts: typeof TypeScript, statement: Statement): string[] {
  if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) {
    return statement.name ? [statement.name.text] : [];
  }
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.flatMap((declaration) =>
      ts.isIdentifier(declaration.name) ? [declaration.name.text] : [],
    );
  }
  if (
    ts.isTypeAliasDeclaration(statement) ||
    ts.isInterfaceDeclaration(statement) ||
    ts.isEnumDeclaration(statement) ||
    ts.isImportEqualsDeclaration(statement)
  ) {
    return [statement.name.text];
  }
  return [];
}

// Definitions are kept; example calls, console.log, imports and exports are what break a test run.
function isDefinition(ts: typeof TypeScript, statement: Statement): boolean {
  if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) return statement.name !== undefined;
  return (
    ts.isVariableStatement(statement) ||
    ts.isTypeAliasDeclaration(statement) ||
    ts.isInterfaceDeclaration(statement) ||
    ts.isEnumDeclaration(statement)
  );
}

// `export` and `export default` would turn the script into an ES module, which node runs as CommonJS and rejects.
function textWithoutExport(ts: typeof TypeScript, statement: Statement, file: TypeScript.SourceFile): string {
  let start = statement.getStart(file);
  const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
  for (const modifier of modifiers) {
    if (modifier.kind === ts.SyntaxKind.ExportKeyword || modifier.kind === ts.SyntaxKind.DefaultKeyword) {
      start = modifier.end;
    }
  }
  return file.text.slice(start, statement.end).trimStart();
}

function parse(task: CodeTask, text: string, name: string): TypeScript.SourceFile {
  const ts = typescript();
  const kind = task.language === "typescript" ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  return ts.createSourceFile(name, text, ts.ScriptTarget.ESNext, true, kind);
}

// A continuation closes the prompt's open function, so on its own it never parses; a complete answer does.
function parsesAlone(task: CodeTask, text: string): boolean {
  const ts = typescript();
  const fileName = task.language === "typescript" ? "answer.ts" : "answer.js";
  const compilerOptions = { target: ts.ScriptTarget.ESNext, noResolve: true, noLib: true };
  const output = ts.transpileModule(text, { fileName, reportDiagnostics: true, compilerOptions });
  return (output.diagnostics ?? []).every((diagnostic) => diagnostic.category !== ts.DiagnosticCategory.Error);
}

function definesFunction(ts: typeof TypeScript, statement: Statement, name: string): boolean {
  if (ts.isFunctionDeclaration(statement)) return statement.name?.text === name;
  if (!ts.isVariableStatement(statement)) return false;
  return statement.declarationList.declarations.some(
    (declaration) =>
      ts.isIdentifier(declaration.name) &&
      declaration.name.text === name &&
      declaration.initializer !== undefined &&
      (ts.isArrowFunction(declaration.initializer) || ts.isFunctionExpression(declaration.initializer)),
  );
}

function promptBeforeEntryPoint(task: CodeTask): string {
  const name = task.entryPoint.replace(/\$/g, "\\$");
  const declaration = new RegExp(
    `^[ \\t]*(?:export\\s+)?(?:(?:async\\s+)?function\\s*\\*?\\s*${name}\\b|(?:const|let|var)\\s+${name}\\b)`,
    "gm",
  );
  const last = [...task.prompt.matchAll(declaration)].at(-1);
  return last?.index === undefined ? "" : task.prompt.slice(0, last.index);
}

/**
 * The JavaScript or TypeScript program for an answer: a continuation of the prompt's open function is appended
 * to the prompt, as MultiPL-E and HumanEval-X do; a complete answer keeps only its definitions and replaces the
 * prompt's function, keeping the prompt's helpers it does not redefine. The task's tests follow.
 */
export function assembleScriptProgram(task: CodeTask, completion: string): string {
  const ts = typescript();
  const answer = parse(task, completion, "answer");
  const defined = answer.statements.filter((statement) => isDefinition(ts, statement));
  const complete = defined.some((statement) => definesFunction(ts, statement, task.entryPoint));
  if (!complete || !parsesAlone(task, completion)) return `${task.prompt}${completion}\n${task.test}`;

  const testNames = new Set(parse(task, task.test, "test").statements.flatMap((s) => declaredNames(ts, s)));
  const kept = defined.filter((statement) => !declaredNames(ts, statement).some((name) => testNames.has(name)));
  const answerNames = new Set(kept.flatMap((statement) => declaredNames(ts, statement)));
  const prefix = parse(task, promptBeforeEntryPoint(task), "prompt");
  const helpers = prefix.statements
    .filter((statement) => !declaredNames(ts, statement).some((name) => answerNames.has(name)))
    .map((statement) => statement.getFullText(prefix));
  const solution = kept.map((statement) => textWithoutExport(ts, statement, answer)).join("\n\n");
  return `${helpers.join("")}\n${solution}\n\n${task.test}`;
}
