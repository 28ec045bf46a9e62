import { Command } from "commander";
import { runWorker } from "../../agent/index.ts";
import { Usd } from "../../cost/usd.ts";
import type { RunRecord } from "../../store/records.ts";
import type { CliContext } from "../cli-context.ts";
import { positiveInteger } from "../option-parsers.ts";
import { untilSignal } from "../until-signal.ts";
import { startRunServers } from "./mcp-run-servers.ts";

export interface WorkerServices {
  /** Resolves when the worker should stop; by default on SIGINT or SIGTERM. */
  untilStopped?: () => Promise<void>;
}

const ended = (run: RunRecord) =>
  `${run.status}${run.status === "queued" ? " (stopped between steps; another worker continues it)" : ""} · ` +
  `${run.stepCount} step(s) · ${Usd.format(run.costUsd)}${run.error ? ` · ${run.error}` : ""}`;

export function createWorkerCommand(context: CliContext, services: WorkerServices = {}): Command {
  return new Command("worker")
    .description("Execute runs queued for workers (run --queue, POST /v1/runs with queue), several at once")
    .option("--concurrency <n>", "most runs executed at once", positiveInteger, 4)
    .action(async (options: { concurrency: number }) => {
      // Every configured MCP server, once: a run that names one gets its tools; the runtime is made after them.
      const mcp = await startRunServers(context, undefined);
      const stop = new AbortController();
      const stopping = (services.untilStopped ?? untilSignal)().then(() => {
        if (!stop.signal.aborted) context.stderr.write("worker stopping: no more claims; runs stop between steps\n");
        stop.abort();
      });
      try {
        context.stderr.write(`worker ${process.pid} claiming runs (concurrency ${options.concurrency})\n`);
        const { claimed } = await runWorker(context.runtime(), {
          concurrency: options.concurrency,
          stop: stop.signal,
          onClaimed: (run) =>
            context.stderr.write(
              `claimed ${run.id}${run.status === "running" ? " (taken over from a gone process)" : ""}\n`,
            ),
          onFinished: (run) => context.stderr.write(`finished ${run.id} ${ended(run)}\n`),
          onClaimError: (error) =>
            context.stderr.write(`warning: claiming a run failed (${String(error)}); trying again\n`),
        });
        context.stderr.write(`worker stopped after ${claimed} claimed run(s)\n`);
      } finally {
        stop.abort();
        await mcp.close();
        void stopping;
      }
    });
}
