import path from "node:path";
import { pathToFileURL } from "node:url";
import { builtinTools } from "../src/tools/builtin-tools.ts";
import { invokeTool, type ToolOutcome } from "../src/tools/invoke-tool.ts";
import { defaultToolPolicy, type Tool, type ToolContext } from "../src/tools/tool.ts";
import { type EscapeAttack, escapeCorpus } from "./escape-corpus.ts";
import {
  createEscapeEnvironment,
  type EscapeEnvironment,
  findEscape,
  removeEscapeEnvironment,
  snapshotCanaries,
} from "./escape-environment.ts";
import { LinkFlipper } from "./escape-link-flipper.ts";

// campaign:escape — every path and link attack of the corpus against every file tool, with canaries outside.

export interface EscapeCampaignOptions {
  /** Calls per race attack and tool (full run 300, the suite's short run fewer). */
  raceTries?: number;
  /** The file tools under attack; the built-in ones unless a test hands in others. */
  tools?: readonly Tool[];
  /** Only attacks whose category is listed. */
  categories?: readonly string[];
}

export interface EscapeCategoryFigures {
  attacks: number;
  calls: number;
  refused: number;
  escapes: number;
}

export interface EscapeReport {
  attacks: number;
  calls: number;
  escapes: number;
  /** Calls that did not return within the hang limit (a FIFO read that blocks, a regex that never ends). */
  hangs: number;
  raceTries: number;
  byCategory: Record<string, EscapeCategoryFigures>;
  escapeDetails: string[];
  durationMs: number;
}

const fileToolNames = ["read_file", "write_file", "edit_file", "list_files", "search_files"];
const hangLimitMs = 15_000;

interface Probe {
  label: string;
  tool: Tool;
  input: (attackPath: string) => Record<string, unknown>;
}

function probesFor(tools: readonly Tool[], attack: EscapeAttack): Probe[] {
  const named = (name: string) => tools.find((tool) => tool.name === name);
  const inputs: Record<string, (attackPath: string) => Record<string, unknown>> = {
    read_file: (attackPath) => ({ path: attackPath }),
    write_file: (attackPath) => ({ path: attackPath, content: "ESCAPED by write_file\n" }),
    edit_file: (attackPath) => ({ path: attackPath, old_text: "old", new_text: "ESCAPED by edit_file" }),
    list_files: (attackPath) => ({ path: attackPath }),
    search_files: (attackPath) => ({ pattern: "CANARY|old", path: attackPath }),
  };
  const probes: Probe[] = [];
  for (const name of fileToolNames) {
    const tool = named(name);
    if (tool) probes.push({ label: name, tool, input: inputs[name]! });
  }
  // What was planted is also met by walks of the folder holding it.
  if (attack.setup || attack.race) {
    for (const name of ["list_files", "search_files"]) {
      const tool = named(name);
      const input = inputs[name]!;
      if (tool) probes.push({ label: `${name} (walk)`, tool, input: (attackPath) => input(path.dirname(attackPath)) });
    }
  }
  return probes;
}

export async function runEscapeCampaign(options: EscapeCampaignOptions = {}): Promise<EscapeReport> {
  const started = Date.now();
  const raceTries = options.raceTries ?? 300;
  const tools = options.tools ?? builtinTools;
  const report: EscapeReport = {
    attacks: 0,
    calls: 0,
    escapes: 0,
    hangs: 0,
    raceTries,
    byCategory: {},
    escapeDetails: [],
    durationMs: 0,
  };
  const attacks = escapeCorpus.filter((attack) => !options.categories || options.categories.includes(attack.category));
  for (const attack of attacks) {
    for (const probe of probesFor(tools, attack)) {
      report.byCategory[attack.category] ??= { attacks: 0, calls: 0, refused: 0, escapes: 0 };
      const figures = report.byCategory[attack.category]!;
      const result = await runProbe(attack, probe, attack.race ? raceTries : 1);
      report.attacks++;
      figures.attacks++;
      report.calls += result.calls;
      figures.calls += result.calls;
      figures.refused += result.refused;
      report.hangs += result.hangs;
      if (result.escape) {
        report.escapes++;
        figures.escapes++;
        report.escapeDetails.push(`${attack.category} / ${attack.name} / ${probe.label}: ${result.escape}`);
      }
    }
  }
  report.durationMs = Date.now() - started;
  return report;
}

async function runProbe(attack: EscapeAttack, probe: Probe, tries: number) {
  const environment = createEscapeEnvironment();
  const cleanUp = await attack.setup?.(environment);
  const race = attack.race?.(environment);
  const flipper = race ? await LinkFlipper.start(path.join(environment.root, race.name), race.states) : undefined;
  const result = { calls: 0, refused: 0, hangs: 0, escape: undefined as string | undefined };
  try {
    const before = snapshotCanaries(environment);
    const attackPath = attack.path(environment);
    const input = JSON.stringify(probe.input(attackPath));
    for (let attempt = 0; attempt < tries && !result.escape; attempt++) {
      const outcome = await invokeWithHangLimit(probe.tool, input, contextFor(environment));
      result.calls++;
      if (!outcome) {
        result.hangs++;
        continue;
      }
      if (outcome.isError) result.refused++;
      result.escape = findEscape(environment, before, outcome.output, attackPath);
    }
  } finally {
    await flipper?.stop();
    await cleanUp?.();
    removeEscapeEnvironment(environment);
  }
  return result;
}

function contextFor(environment: EscapeEnvironment): ToolContext {
  // No secrets to redact: the campaign checks that files are not read at all, not that output is masked.
  const policy = { ...defaultToolPolicy(), hiddenPaths: [environment.home, environment.hiddenInside] };
  return { workspace: environment.workspace, signal: new AbortController().signal, policy, warn: () => {} };
}

async function invokeWithHangLimit(tool: Tool, input: string, context: ToolContext): Promise<ToolOutcome | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), hangLimitMs);
  });
  try {
    return await Promise.race([invokeTool(tool, input, context), hung]);
  } finally {
    clearTimeout(timer);
  }
}

function printReport(report: EscapeReport): void {
  const rows = Object.entries(report.byCategory).map(([category, figures]) => ({ category, ...figures }));
  rows.push({
    category: "total",
    attacks: report.attacks,
    calls: report.calls,
    refused: rows.reduce((sum, row) => sum + row.refused, 0),
    escapes: report.escapes,
  });
  process.stdout.write(`campaign:escape, ${report.raceTries} tries per race attack and tool\n\n`);
  process.stdout.write("| category | attacks | calls | refused | escapes |\n|---|---:|---:|---:|---:|\n");
  for (const row of rows) {
    process.stdout.write(`| ${row.category} | ${row.attacks} | ${row.calls} | ${row.refused} | ${row.escapes} |\n`);
  }
  process.stdout.write(`\nhangs: ${report.hangs}, duration: ${(report.durationMs / 1000).toFixed(1)} s\n`);
  for (const detail of report.escapeDetails) process.stdout.write(`ESCAPE ${detail}\n`);
  process.stdout.write(`\n${JSON.stringify(report, null, 2)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const report = await runEscapeCampaign();
  printReport(report);
  process.exitCode = report.escapes === 0 && report.hangs === 0 ? 0 : 1;
}
