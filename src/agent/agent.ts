import path from "node:path";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import type { z } from "zod";
import { homeDirectory, loadSettings } from "../config/load-settings.ts";
import type { TokenUsage } from "../cost/usage.ts";
import { defaultRetryPolicy } from "../models/retry-policy.ts";
import { MemoryStore } from "../store/memory-store.ts";
import { openStore, storeLocation } from "../store/open-store.ts";
import type { RunRecord, RunStatus } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import {
  checkedImage,
  checkImageSet,
  imageByteCount,
  readImageFile,
  requireVision,
} from "../tools/images/checked-image.ts";
import { knownSecrets } from "../tools/secret-environment.ts";
import type { Tool } from "../tools/tool.ts";
import type { ToolImage } from "../tools/tool-output.ts";
import { searchKeyVariable, webPolicyFromSettings } from "../tools/web/web-policy.ts";
import { AgentOptionsError } from "./agent-errors.ts";
import { agentModel, type ModelInstanceOptions } from "./agent-model.ts";
import { EventQueue } from "./agent-stream.ts";
import { agentTool } from "./agent-tool.ts";
import { rejectedAnswerError } from "./answer-check.ts";
import type { Approver } from "./approval.ts";
import { AgentNotConfiguredError } from "./configured-agent.ts";
import { executeRun } from "./execute-run.ts";
import { approveRun, type NewRunSettings, startRun } from "./run-control.ts";
import type { RunEvent } from "./run-events.ts";
import { type AgentRuntime, createRuntime } from "./runtime.ts";
import { outputInstructions, parseAnswer, StructuredOutputError, structuredAnswerCheck } from "./structured-output.ts";

export interface AgentOptions<Output> extends ModelInstanceOptions {
  /** A catalog id or a `<provider>/<model>` spec, or a model instance (a ScriptedModel); or give `models`. */
  model?: string | LanguageModelV3;
  /** An escalation ladder of model ids, cheapest first: the run starts on the first (see docs/architecture.md). */
  models?: readonly string[];
  instructions?: string;
  /** Your tools (`defineTool`) and built-in tool names (`"read_file"`); the agent offers these and no others. */
  tools?: readonly (Tool | string)[];
  /** Hard cap in USD, a decimal string such as "0.05". */
  budgetUsd?: string;
  maxSteps?: number;
  /** A policy for tools that need approval, or a function that asks; default `deny`. */
  approval?: "auto" | "deny" | "ask" | Approver;
  /** The only folder file tools may touch; default the current folder. */
  workspace?: string;
  thinking?: "on" | "off" | "auto";
  baseUrl?: string;
  /**
   * Where runs are kept: a Store, or where one is (a SQLite path or a postgres:// URL). Default as the CLI's:
   * TANSUO_STORE, else config `store`, else $TANSUO_HOME/tansuo.db; or this process's memory with `memory`.
   */
  store?: Store | string;
  memory?: boolean;
  /** A zod schema for the final answer: asked as JSON, validated, one repair turn, then a StructuredOutputError. */
  output?: z.ZodType<Output>;
  /** Its name and what it does, when another agent uses it as a tool (`asTool()`, offered as `agent_<name>`). */
  name?: string;
  description?: string;
  /** Models a call moves to, in order, when the model is down (default: the model entry's `fallbacks`). */
  fallbacks?: readonly string[];
}

export interface AgentResult<Output> {
  id: string;
  status: RunStatus;
  output?: string;
  error?: string;
  costUsd: string;
  usage: TokenUsage;
  steps: number;
  /** The final answer validated by `output`, when the agent has one and the run succeeded. */
  parsed?: Output;
}

/** A run's events as they happen (ending after `finished`, or when the run stops to wait), and its result. */
export interface AgentStream<Output> extends AsyncIterable<RunEvent> {
  result: Promise<AgentResult<Output>>;
}

/** What one task brings besides its text. */
export interface AgentTaskOptions {
  /** Images sent with the task (file paths, or `{ mediaType, base64 }`); the model must have vision. */
  images?: readonly (string | ToolImage)[];
}

/** An agent for library users: runs are durable and resumable like the CLI's, without handling runtimes and stores. */
export class Agent<Output = unknown> {
  private runtimeInstance: AgentRuntime | undefined;
  private modelSpec = "";
  private ownedStore: Store | undefined;
  private readonly runtimes = new Map<Store, AgentRuntime>();

  constructor(private readonly options: AgentOptions<Output>) {}

  /** Runs a task to its end (or to a tool call that waits for a person). */
  async run(task: string, options: AgentTaskOptions = {}): Promise<AgentResult<Output>> {
    return this.continueRun(await this.start(task, options));
  }

  stream(task: string, options: AgentTaskOptions = {}): AgentStream<Output> {
    const queue = new EventQueue<RunEvent>();
    const result = this.start(task, options).then((runId) =>
      this.continueRun(runId, (event) => {
        queue.push(event);
        if (event.type === "finished") queue.end();
      }),
    );
    result.then(
      () => queue.end(),
      (error: unknown) => queue.end({ error }),
    );
    // The reader may only iterate; a rejection is still delivered to it, so it is not left unhandled here.
    result.catch(() => {});
    return Object.assign(queue, { result }) as AgentStream<Output>;
  }

  /** Continues a run after a crash, a failure or an approval (`approve` answers and continues in one call). */
  async resume(runId: string): Promise<AgentResult<Output>> {
    return this.continueRun(runId);
  }

  /** Answers the tool calls a run waits on (all, or `callId`), then continues it. */
  async approve(
    runId: string,
    decision: { approve: boolean; always?: boolean; callId?: string },
  ): Promise<AgentResult<Output>> {
    await approveRun(this.runtime(), runId, decision);
    return this.continueRun(runId);
  }

  /** Closes the database the agent opened itself (not one passed as `store`). */
  close(): void {
    // SQLite closes at once inside the call; nothing is left to wait for.
    void this.ownedStore?.close();
    this.ownedStore = undefined;
    this.runtimeInstance = undefined;
    this.runtimes.clear();
  }

  /**
   * This agent as a tool of another agent: each call is a child run of this agent (its model, tools, budget and
   * instructions) in the caller's store, linked to the caller's run, its budget carved out of the caller's.
   */
  asTool(options: { name?: string; description?: string } = {}): Tool {
    const name = options.name ?? this.options.name;
    if (!name) {
      throw new AgentNotConfiguredError(
        'An agent used as a tool needs a name: new Agent({ name: "researcher", ... }) or asTool({ name }).',
      );
    }
    return agentTool({
      name,
      description:
        options.description ??
        this.options.description ??
        `Gives a task to the agent "${name}", which works on it in a run of its own and answers with the result. ` +
          (this.options.instructions ?? ""),
      newRun: async (task) => await this.newRunSettings(task, {}),
      runtimeFor: (parent) => this.runtimeOn(parent.store),
      answerCheck: this.options.output && structuredAnswerCheck(this.options.output),
    });
  }

  /** The runtime underneath, for what the Agent does not wrap (cancelRun, the store's transcript). */
  runtime(): AgentRuntime {
    if (this.runtimeInstance) return this.runtimeInstance;
    const env = process.env;
    const settings = loadSettings({ cwd: process.cwd(), env });
    let store = typeof this.options.store === "string" ? undefined : this.options.store;
    if (!store) {
      const location = storeLocation({
        flag: typeof this.options.store === "string" ? this.options.store : undefined,
        env,
        configured: settings.store,
        home: homeDirectory(env),
        cwd: process.cwd(),
      });
      store = this.options.memory ? new MemoryStore() : openStore(location);
      this.ownedStore = store;
    }
    this.runtimeInstance = this.runtimeOn(store);
    return this.runtimeInstance;
  }

  /** A runtime of this agent's models and tools on a given store (its own, or a calling agent's for a child run). */
  private runtimeOn(store: Store): AgentRuntime {
    const existing = this.runtimes.get(store);
    if (existing) return existing;
    const env = process.env;
    const home = homeDirectory(env);
    const settings = loadSettings({ cwd: process.cwd(), env });
    const named = this.options.models?.[0] ?? this.options.model;
    if (named === undefined) {
      throw new AgentOptionsError(
        "An Agent needs a model: pass `model` (an id or an instance) or `models` (a ladder).",
      );
    }
    const model = agentModel(named, { ...this.options, settings, env, home });
    this.modelSpec = model.spec;
    const runtime = createRuntime({
      store,
      resolveModel: model.resolveModel,
      tansuoHome: home,
      // Set here too, so a retried model call shows as a `retry` event in the run's stream.
      retryPolicy: defaultRetryPolicy,
      tools: (this.options.tools ?? []).filter((tool): tool is Tool => typeof tool !== "string"),
      toolPolicy: {
        allowHardLinks: settings.files.allowHardLinks,
        sandbox: settings.shell.sandbox,
        secrets: knownSecrets(
          env,
          [
            ...Object.values(settings.providers).map((provider) => provider.apiKey),
            env[searchKeyVariable(settings.web.search) ?? ""],
          ],
          [path.join(home, "config.json")],
        ),
        hiddenPaths: [home],
        web: webPolicyFromSettings(settings.web, env),
      },
    });
    this.runtimes.set(store, runtime);
    return runtime;
  }

  private async start(task: string, taskOptions: AgentTaskOptions): Promise<string> {
    const runtime = this.runtime();
    const run = await startRun(runtime, await this.newRunSettings(task, taskOptions));
    return run.id;
  }

  /** A new run's settings from this agent's options and one task's. */
  private async newRunSettings(task: string, taskOptions: AgentTaskOptions): Promise<NewRunSettings> {
    const { options } = this;
    const images = await this.checkedImages(taskOptions.images ?? []);
    const instructions = [options.instructions, options.output && outputInstructions(options.output)]
      .filter(Boolean)
      .join("\n\n");
    return {
      task,
      model: this.modelSpec,
      baseUrl: options.baseUrl,
      instructions: instructions || undefined,
      workspace: path.resolve(options.workspace ?? "."),
      budgetUsd: options.budgetUsd,
      maxSteps: options.maxSteps,
      thinking: options.thinking,
      ...(options.models ? { models: [...options.models] } : {}),
      ...(options.fallbacks ? { fallbacks: [...options.fallbacks] } : {}),
      approval: typeof options.approval === "function" ? "ask" : (options.approval ?? "deny"),
      tools: (options.tools ?? []).map((tool) => (typeof tool === "string" ? tool : tool.name)),
      ...(images.length > 0 ? { images } : {}),
    };
  }

  /** Images checked by content and size, and refused before the run exists when the model has no vision. */
  private async checkedImages(images: readonly (string | ToolImage)[]): Promise<ToolImage[]> {
    if (images.length === 0) return [];
    checkImageSet(images.map(() => 0));
    const checked = images.map((image, index) =>
      typeof image === "string"
        ? readImageFile(path.resolve(image))
        : checkedImage(Buffer.from(image.base64, "base64"), `Image ${index + 1}`),
    );
    checkImageSet(checked.map(imageByteCount));
    const resolved = await this.runtime().resolveModel(this.modelSpec, { baseUrl: this.options.baseUrl });
    try {
      requireVision(resolved.entry.id, resolved.entry.capabilities.vision, checked.length);
    } finally {
      await resolved.close();
    }
    return checked;
  }

  private async continueRun(runId: string, onEvent?: (event: RunEvent) => void): Promise<AgentResult<Output>> {
    const { output, approval } = this.options;
    const record = await executeRun(this.runtime(), runId, {
      onEvent,
      approver: typeof approval === "function" ? approval : undefined,
      answerCheck: output && structuredAnswerCheck(output),
    });
    return this.resultOf(record);
  }

  private resultOf(record: RunRecord): AgentResult<Output> {
    const result: AgentResult<Output> = {
      id: record.id,
      status: record.status,
      output: record.output,
      error: record.error,
      costUsd: record.costUsd,
      usage: record.usage,
      steps: record.stepCount,
    };
    const schema = this.options.output;
    if (!schema) return result;
    if (record.status === "succeeded" && record.output !== undefined) {
      const parsed = parseAnswer(schema, record.output);
      if (parsed.success) return { ...result, parsed: parsed.data };
    }
    // The loop fails a run whose answer stayed invalid after the repair turn; that is the caller's error to see.
    if (record.status === "failed" && record.error?.startsWith(rejectedAnswerError)) {
      throw new StructuredOutputError(
        `Run ${record.id}: ${record.error}. The run is saved with the last answer as its output.`,
        record.id,
        record.output,
      );
    }
    return result;
  }
}
