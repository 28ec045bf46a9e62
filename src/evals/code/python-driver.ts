/**
 * Runs one HumanEval program in the sandbox from task.json. As the reference harness, the program is
 * prompt + completion + test + check(entry_point), executed with fresh globals (so `if __name__ == "__main__"`
 * blocks do not run). A complete answer is first cut to its definitions, as EvalPlus sanitizes chat answers.
 * Reaching the end writes the marker to fd 3, so an early sys.exit(0) or os._exit(0) is not a pass.
 */
export const pythonDriver = `
import ast, json, os

def solution_source(prompt, completion, entry_point):
    try:
        tree = ast.parse(completion)
    except SyntaxError:
        return prompt + completion
    if not any(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == entry_point for node in tree.body):
        return prompt + completion
    lines = completion.splitlines(keepends=True)
    kept = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Assign, ast.AnnAssign)):
            first = min([node.lineno] + [decorator.lineno for decorator in getattr(node, "decorator_list", [])])
            kept.append("".join(lines[first - 1 : node.end_lineno]))
    return prompt + "\\n" + "\\n".join(kept)

with open("task.json", encoding="utf-8") as task_file:
    task = json.load(task_file)
source = solution_source(task["prompt"], task["completion"], task["entryPoint"])
source += "\\n" + task["test"] + "\\n" + "check(" + task["entryPoint"] + ")\\n"
exec(compile(source, "program.py", "exec"), {})
os.write(3, task["marker"].encode("utf-8"))
`;
