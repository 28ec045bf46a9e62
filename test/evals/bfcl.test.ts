import { beforeAll, describe, expect, it } from "vitest";
import type { BfclCategory, BfclTask } from "../../src/evals/bfcl/bfcl-task.ts";
import { convertJavaScriptValue } from "../../src/evals/bfcl/js-type-converter.ts";
import { parsePythonJson } from "../../src/evals/bfcl/python-json.ts";
import { pythonEquals } from "../../src/evals/bfcl/python-value.ts";
import { scoreBfclTask, type ToolCallOutput } from "../../src/evals/bfcl/score-bfcl-task.ts";
import { toolsOf } from "../../src/evals/bfcl/tool-definitions.ts";
import { loadBfclCategory } from "../../src/evals/datasets/bfcl.ts";
import { runEval } from "../../src/evals/run/run-eval.ts";
import { dataDirectory } from "./support/paths.ts";

const tasks = new Map<string, BfclTask>();
beforeAll(async () => {
  for (const category of [
    "simple_python",
    "simple_javascript",
    "parallel",
    "irrelevance",
    "multiple",
  ] as BfclCategory[]) {
    for (const task of await loadBfclCategory(dataDirectory, category)) tasks.set(task.id, task);
  }
});

const task = (id: string) => {
  const found = tasks.get(id);
  if (!found) throw new Error(`no task ${id}`);
  return found;
};
const call = (toolName: string, input: Record<string, unknown> | string): ToolCallOutput => ({
  toolName,
  input: typeof input === "string" ? input : JSON.stringify(input),
});
const score = (id: string, calls: ToolCallOutput[]) => scoreBfclTask(task(id), calls);

describe("BFCL ground truth", () => {
  it("scores 100% in every category", async () => {
    const run = await runEval({ suite: "bfcl", dataDirectory, reference: true });
    const expectedTasks = {
      simple_python: 400,
      simple_javascript: 50,
      multiple: 200,
      parallel: 200,
      parallel_multiple: 200,
      irrelevance: 240,
    };
    for (const [category, count] of Object.entries(expectedTasks)) {
      expect(run.summary.categories?.[category], category).toEqual({ tasks: count, accuracy: 1 });
    }
    expect(run.summary.passAt1).toBe(1);
  });
});

describe("BFCL's AST check on hand-made calls", () => {
  // simple_python_0: calculate_triangle_area(base: integer [10], height: integer [5], unit: string ["units", ""])
  const id = "simple_python_0";

  it("passes the right call, with or without the optional parameter, and normalises strings", () => {
    expect(score(id, [call("calculate_triangle_area", { base: 10, height: 5 })]).passed).toBe(true);
    expect(score(id, [call("calculate_triangle_area", { base: 10, height: 5, unit: " Units" })]).passed).toBe(true);
  });

  it("fails a wrong function name", () => {
    expect(score(id, [call("calculate_area", { base: 10, height: 5 })]).errorType).toBe(
      "simple_function_checker:wrong_func_name",
    );
  });

  it("fails a missing required parameter", () => {
    expect(score(id, [call("calculate_triangle_area", { base: 10 })]).errorType).toBe(
      "simple_function_checker:missing_required",
    );
  });

  it("fails a wrong type, including a float where an integer is declared", () => {
    expect(score(id, [call("calculate_triangle_area", { base: "10", height: 5 })]).errorType).toBe("type_error:simple");
    expect(score(id, [call("calculate_triangle_area", '{"base": 10.0, "height": 5}')]).errorType).toBe(
      "type_error:simple",
    );
  });

  it("fails an unknown parameter", () => {
    expect(score(id, [call("calculate_triangle_area", { base: 10, height: 5, color: "red" })]).errorType).toBe(
      "simple_function_checker:unexpected_param",
    );
  });

  it("fails a wrong value, number or string", () => {
    expect(score(id, [call("calculate_triangle_area", { base: 12, height: 5 })]).errorType).toBe("value_error:others");
    expect(score(id, [call("calculate_triangle_area", { base: 10, height: 5, unit: "meters" })]).errorType).toBe(
      "value_error:string",
    );
  });

  it("fails two calls where one is expected, and arguments that are not JSON", () => {
    const right = call("calculate_triangle_area", { base: 10, height: 5 });
    expect(score(id, [right, right]).errorType).toBe("simple_function_checker:wrong_count");
    expect(score(id, [call("calculate_triangle_area", "{base: 10")]).errorType).toBe("ast_decoder:decoder_failed");
    expect(score(id, []).passed).toBe(false);
  });

  it("accepts an int where a float is declared, as Python does", () => {
    // calculate_derivative(function: ["3x**2 + 2x - 1", ...], x_value: float ["", 0.0])
    expect(
      score("simple_python_14", [call("calculate_derivative", { function: "3x**2 + 2x - 1", x_value: 0 })]).passed,
    ).toBe(true);
  });

  it("checks dict parameters key by key", () => {
    // db_fetch_records conditions: {department: ["Science"], school: ["Bluebird High School", "Bluebird HS"]}
    const base = { database_name: "StudentDB", table_name: "students" };
    const fetch = (conditions: Record<string, string>) =>
      score("simple_python_89", [call("db_fetch_records", { ...base, conditions })]);
    expect(fetch({ department: "science", school: "Bluebird HS" }).passed).toBe(true);
    expect(fetch({ department: "Math", school: "Bluebird HS" }).errorType).toBe("value_error:dict_value");
    expect(fetch({ department: "Science", school: "Bluebird HS", year: "2024" }).errorType).toBe(
      "value_error:dict_key",
    );
  });

  it("matches dotted function names by their tool name (dots as underscores)", () => {
    expect(score("simple_python_1", [call("math_factorial", { number: 5 })]).passed).toBe(true);
    expect(score("simple_python_1", [call("math.factorial", { number: 5 })]).passed).toBe(false);
  });
});

describe("parallel and irrelevance", () => {
  // parallel_0: spotify.play(artist "Taylor Swift", duration 20) and spotify.play("Maroon 5", 15)
  const taylor = call("spotify_play", { artist: "Taylor Swift", duration: 20 });
  const maroon = call("spotify_play", { artist: "Maroon 5", duration: 15 });

  it("passes parallel calls in any order", () => {
    expect(score("parallel_0", [taylor, maroon]).passed).toBe(true);
    expect(score("parallel_0", [maroon, taylor]).passed).toBe(true);
  });

  it("fails a missing, repeated or wrong parallel call", () => {
    expect(score("parallel_0", [taylor]).errorType).toBe("parallel_function_checker_no_order:wrong_count");
    expect(score("parallel_0", [taylor, taylor]).errorType).toBe(
      "parallel_function_checker_no_order:cannot_find_match",
    );
    const wrong = call("spotify_play", { artist: "Maroon 5", duration: 25 });
    expect(score("parallel_0", [taylor, wrong]).passed).toBe(false);
  });

  it("passes irrelevance only when no function is called", () => {
    expect(score("irrelevance_0", []).passed).toBe(true);
    expect(score("irrelevance_0", [call("determine_body_mass_index", { weight: 10, height: 5 })]).passed).toBe(false);
  });
});

describe("JavaScript category", () => {
  // validateUserInput(inputField: String ["userInputField"], isComplete: Boolean [true])
  it("reads parameters as JavaScript source strings, as BFCL does", () => {
    const ok = call("validateUserInput", { inputField: "userInputField", isComplete: "true" });
    expect(score("simple_javascript_0", [ok]).passed).toBe(true);
    const quoted = call("validateUserInput", { inputField: "'userInputField'", isComplete: "true" });
    expect(score("simple_javascript_0", [quoted]).passed).toBe(true);
  });

  it("fails a value that is not a string", () => {
    const raw = call("validateUserInput", { inputField: "userInputField", isComplete: true });
    expect(score("simple_javascript_0", [raw]).errorType).toBe("type_error:js");
  });

  it("converts arrays, dicts and numbers like BFCL's js_type_converter", () => {
    const value = (text: string, type: string, nested?: string) => convertJavaScriptValue(text, type, nested);
    expect(pythonEquals(value("[1, 2, 3]", "array"), [1n, 2n, 3n])).toBe(true);
    expect(pythonEquals(value("new Array(4, 5)", "array", "integer"), [4n, 5n])).toBe(true);
    expect(pythonEquals(value('["a", "b"]', "array", "String"), ["a", "b"])).toBe(true);
    expect(
      pythonEquals(value("[[1, 2], [3, 4]]", "array", "array"), [
        [1n, 2n],
        [3n, 4n],
      ]),
    ).toBe(true);
    expect(pythonEquals(value("{'key': 123, 'on': true}", "dict"), parsePythonJson('{"key": 123, "on": true}'))).toBe(
      true,
    );
    expect(value("123n", "Bigint")).toBe(123n);
    expect(value("3.5", "float")).toBe(3.5);
    expect(value("abc", "integer")).toBe("abc");
  });
});

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema is walked freely in assertions; the values are checked, not typed.
type Schema = Record<string, any>;

function firstTool(id: string) {
  const [tool] = toolsOf(task(id));
  if (!tool) throw new Error(`${id} has no tool`);
  return { ...tool, schema: tool.inputSchema as Schema };
}

describe("BFCL functions as tools", () => {
  it("converts the pseudo-schema to JSON Schema and dotted names to tool names", () => {
    const tool = firstTool("simple_python_83");
    expect(tool.name).toBe("calculate_distance");
    expect(tool.description).toMatch(/Note that the provided function is in Python 3 syntax\.$/);
    expect(tool.schema.type).toBe("object");
    expect(tool.schema.properties.coord1).toMatchObject({ type: "array", items: { type: "number" } });
    expect(firstTool("simple_python_1").name).toBe("math_factorial");
  });

  it("gives dict as object, float as number, any as string", () => {
    const conditions = firstTool("simple_python_89").schema.properties.conditions;
    expect(conditions.type).toBe("object");
    expect(conditions.properties.department.type).toBe("string");
    expect(firstTool("simple_python_14").schema.properties.x_value).toMatchObject({ type: "number", format: "float" });
    expect(firstTool("simple_python_109").schema.properties.data.type).toBe("string");
    for (const tool of [...tasks.values()].flatMap(toolsOf)) expect(tool.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
  });

  it("asks for JavaScript parameters as strings of JavaScript, with the types in the descriptions", () => {
    const tool = firstTool("simple_javascript_0");
    expect(tool.schema.properties.isComplete.type).toBe("string");
    expect(tool.schema.properties.isComplete.description).toContain(
      "This is JavaScript Boolean type parameter in string representation.",
    );
    expect(tool.description).toMatch(/in JavaScript syntax\.$/);
  });
});
