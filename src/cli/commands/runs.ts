import { Command } from "commander";
import { listModelSwitches, modelSwitchText } from "../../agent/escalation/model-switches.ts";
import { listModelFallbacks, modelFallbackText } from "../../agent/fallback/model-fallbacks.ts";
import { approveRun, cancelRun } from "../../agent/index.ts";
import { interruptedHint, shownRunStatus } from "../../agent/interrupted-run.ts";
import { runTree } from "../../agent/run-tree.ts";
import { cutAtOutputLimit } from "../../agent/step-outcome.ts";
import { Usd } from "../../cost/usd.ts";
import { imagePlaceholder } from "../../tools/tool-output.ts";
import type { CliContext } from "../cli-context.ts";
import { CommandInputError } from "../cli-errors.ts";
import { exitCodes } from "../exit-codes.ts";
import { shorten, table, terminalSafe } from "../format.ts";
import { oneOf, positiveInteger, usdAmount } from "../option-parsers.ts";
import { childJson, runTreeLines } from "../render/run-tree-lines.ts";
import { driveRun } from "./drive-run.ts";
import { restartRunServers } from "./mcp-run-servers.ts";
import { reportRun, runResultJson } from "./run-summary.ts";
import { addRunsDiffCommand } from "./runs-diff.ts";

async function requireRun(context: CliContext, id: string) {
  const run = await context.openStore().getRun(id);
  if (!run) throw new CommandInputError(`No run with id ${id}. List runs with \`tansuo runs list\`.`);
  return run;
}

export function createRunsCommand(context: CliContext): Command {
  const runs = new Command("runs").description("List and inspect runs");
  runs
    .command("list")
    .description("Recent runs, newest first")
    .option("--json", "print JSON")
    .option("--limit <n>", "how many", positiveInteger, 20)
    .action(async (options: { json?: boolean; limit: number }) => {
      const store = context.openStore();
      const list = await store.listRuns({ limit: options.limit });
      const shown = await Promise.all(list.map((run) => shownRunStatus(store, run)));
      if (options.json) {
        context.stdout.write(
          `${JSON.stringify(
            list.map((run, index) => ({
              ...runResultJson(run),
              status: shown[index],
              task: run.settings.task,
              model: run.settings.model,
              createdAt: run.createdAt,
              parentRunId: run.parentRunId ?? null,
            })),
            null,
            2,
          )}\n`,
        );
        return;
      }
      const rows = [["ID", "STATUS", "STEPS", "COST", "MODEL", "TASK"]];
      for (const [index, run] of list.entries()) {
        rows.push([
          run.id,
          shown[index] ?? run.status,
          String(run.stepCount),
          Usd.format(run.costUsd),
          run.settings.model,
          // A child run (an agent used as a tool) says whose it is.
          run.parentRunId === undefined
            ? shorten(run.settings.task, 50)
            : `↳ child of ${run.parentRunId}: ${shorten(run.settings.task, 40)}`,
        ]);
      }
      context.stdout.write(`${table(rows)}\n`);
      const interrupted = list.find((_run, index) => shown[index] === "interrupted");
      if (interrupted) context.stdout.write(`interrupted: ${interruptedHint(interrupted.id)}\n`);
    });
  runs
    .command("show")
    .description("The whole transcript of a run: messages, reasoning, tool calls and results, usage and cost per step")
    .argument("<id>")
    .option("--json", "print JSON")
    .action(async (id: string, options: { json?: boolean }) => {
      const store = context.openStore();
      const run = await requireRun(context, id);
      const status = await shownRunStatus(store, run);
      const steps = await store.listSteps(id);
      const toolCalls = await store.listToolCalls(id);
      const messages = await store.listRunMessages(id);
      // Only a run with a ladder can switch: others are not made to read all their events.
      const switches = run.settings.models ? await listModelSwitches(store, id) : [];
      const fallbacks = run.settings.fallbacks?.length ? await listModelFallbacks(store, id) : [];
      // Each step names its model when the run can change model (a ladder, or fallbacks).
      const namesModels = run.settings.models !== undefined || (run.settings.fallbacks?.length ?? 0) > 0;
      const tree = await runTree(store, run);
      if (options.json) {
        const transcript = {
          ...runResultJson(run),
          status,
          // costUsd is this run's own calls; treeCostUsd adds its child runs' (agents as tools), each once.
          treeCostUsd: tree.treeCostUsd,
          parentRunId: run.parentRunId ?? null,
          parentCallId: run.parentCallId ?? null,
          children: tree.children.map(childJson),
          // Images are named, never printed: their bytes stay in the store.
          settings: { ...run.settings, images: run.settings.images?.map(imagePlaceholder) },
          createdAt: run.createdAt,
          updatedAt: run.updatedAt,
          steps: steps.map((step) => ({
            index: step.index,
            model: step.model,
            reasoning: step.assistant.reasoning ?? null,
            text: step.assistant.text,
            discarded: step.assistant.discarded ?? false,
            discardReason: step.assistant.discardReason ?? null,
            compaction: step.assistant.compaction ?? null,
            finishReason: step.finishReason,
            usage: step.usage,
            costUsd: step.costUsd,
            price: step.price,
            toolCalls: toolCalls
              .filter((call) => call.stepIndex === step.index)
              .map(({ outputImages, ...call }) => ({ ...call, outputImages: outputImages?.map(imagePlaceholder) })),
          })),
          // A person's follow-ups; each comes after steps 0 .. afterStep - 1.
          messages: messages.map(({ index, afterStep, content, createdAt }) => ({
            index,
            afterStep,
            content,
            createdAt,
          })),
          modelSwitches: switches.map(({ step, from, to, reason }) => ({ step, from, to, reason })),
          modelFallbacks: fallbacks.map(({ step, from, to, reason }) => ({ step, from, to, reason })),
        };
        context.stdout.write(`${JSON.stringify(transcript, null, 2)}\n`);
        return;
      }
      const out: string[] = [
        `run ${run.id} · ${status} · ${run.settings.model} · ${Usd.format(run.costUsd)}`,
        `task: ${run.settings.task}`,
        ...(run.settings.images ?? []).map((image) => `  ${imagePlaceholder(image)}`),
        ...runTreeLines(run, tree),
      ];
      const messageLines = (afterStep: (step: number) => boolean) => {
        for (const message of messages.filter((candidate) => afterStep(candidate.afterStep))) {
          out.push(`\n── message ${message.index + 1} (after step ${message.afterStep}) ──`, `  ${message.content}`);
        }
      };
      for (const step of steps) {
        messageLines((afterStep) => afterStep === step.index);
        for (const change of switches.filter((candidate) => candidate.step === step.index)) {
          out.push(`\n⇅ before step ${step.index + 1}: ${modelSwitchText(change)}`);
        }
        const estimated = (step.price as { estimated?: boolean } | undefined)?.estimated ? " (estimated)" : "";
        const discarded = step.assistant.discarded
          ? ` · discarded (${step.assistant.discardReason ?? step.finishReason})`
          : "";
        const cut = cutAtOutputLimit(step.finishReason) ? " · finish: length (cut at the output limit)" : "";
        out.push(
          `\n── step ${step.index + 1}${namesModels ? ` · ${step.model}` : ""} · ${step.usage.inputTokens} in (${step.usage.cacheHitTokens} cached) / ` +
            `${step.usage.outputTokens} out · ${Usd.format(step.costUsd)}${estimated}${discarded}${cut}`,
        );
        if (step.assistant.reasoning) out.push(`  reasoning: ${step.assistant.reasoning}`);
        if (step.assistant.text) out.push(`  ${step.assistant.text}`);
        const compaction = step.assistant.compaction;
        if (compaction)
          out.push(`  compaction: steps 1-${compaction.throughStep + 1} summarised`, `  ${compaction.summary}`);
        for (const call of toolCalls.filter((candidate) => candidate.stepIndex === step.index)) {
          out.push(`  → ${call.toolName} ${call.input} [${call.status}]`);
          if (call.output !== undefined) out.push(`    ${call.output.split("\n").join("\n    ")}`);
          for (const image of call.outputImages ?? []) out.push(`    ${imagePlaceholder(image)}`);
        }
        for (const change of fallbacks.filter((candidate) => candidate.step === step.index)) {
          out.push(`\n⇣ ${modelFallbackText(change)}`);
        }
      }
      // A message not yet answered (its run queued, or stopped before its first step) ends the transcript.
      messageLines((afterStep) => afterStep >= steps.length);
      for (const change of switches.filter((candidate) => candidate.step >= steps.length)) {
        out.push(`\n⇅ before step ${change.step + 1}: ${modelSwitchText(change)}`);
      }
      if (run.error) out.push(`\nerror: ${run.error}`);
      if (status === "interrupted") out.push(`\ninterrupted: ${interruptedHint(run.id)}`);
      // Model and tool text may hold terminal escape sequences; show them, do not obey them.
      context.stdout.write(`${terminalSafe(out.join("\n"))}\n`);
    });
  addRunsDiffCommand(runs, context);
  return runs;
}

export function createResumeCommand(context: CliContext, setExitCode: (code: number) => void): Command {
  return new Command("resume")
    .description("Continue a run from its last committed step")
    .argument("<id>")
    .option("--budget <usd>", "raise the run's budget before continuing", usdAmount)
    .option("--approval <mode>", "change the approval policy: ask, auto or deny", oneOf("ask", "auto", "deny"))
    .option("--json", "print one JSON object at the end")
    .action(async (id: string, options: { json?: boolean; budget?: string; approval?: string }) => {
      const run = await requireRun(context, id);
      const approval = (options.approval ?? run.settings.approval) as typeof run.settings.approval;
      const mcp = await restartRunServers(context, run);
      try {
        await context
          .openStore()
          .updateRunSettings(id, { ...run.settings, approval, budgetUsd: options.budget ?? run.settings.budgetUsd });
        const finished = await driveRun(context, id, { json: Boolean(options.json) });
        setExitCode(reportRun(context, finished, Boolean(options.json)));
      } finally {
        await mcp.close();
      }
    });
}

export function createApproveCommand(context: CliContext, setExitCode: (code: number) => void): Command {
  return new Command("approve")
    .description("Answer the tool calls a run is waiting on, then continue it")
    .argument("<id>")
    .option("--deny", "refuse instead of allowing")
    .option("--always", "also allow these tools for the rest of this run (an interrupted call is still asked about)")
    .option("--call <id>", "answer only this tool call (ids are in `tansuo runs show`)")
    .option("--json", "print one JSON object at the end")
    .action(async (id: string, options: { deny?: boolean; always?: boolean; call?: string; json?: boolean }) => {
      const run = await requireRun(context, id);
      const decision = { approve: !options.deny, always: options.always, callId: options.call };
      // A run left for workers is queued for them again: continuing it here would race them for it.
      if (run.settings.onWorkers) {
        const queued = await approveRun(context.runtime(), id, decision);
        context.stdout.write(
          options.json
            ? `${JSON.stringify(runResultJson(queued))}\n`
            : `${id} ${queued.status} (a worker continues it)\n`,
        );
        return;
      }
      const mcp = await restartRunServers(context, run);
      try {
        await approveRun(context.runtime(), id, decision);
        const finished = await driveRun(context, id, { json: Boolean(options.json) });
        setExitCode(reportRun(context, finished, Boolean(options.json)));
      } finally {
        await mcp.close();
      }
    });
}

export function createCancelCommand(context: CliContext, setExitCode: (code: number) => void): Command {
  return new Command("cancel")
    .description("Cancel a run (a running process stops within a second)")
    .argument("<id>")
    .action(async (id: string) => {
      await requireRun(context, id);
      const run = await cancelRun(context.runtime(), id);
      context.stdout.write(`${run.id} ${run.status}\n`);
      setExitCode(run.status === "cancelled" ? exitCodes.succeeded : exitCodes.failed);
    });
}
