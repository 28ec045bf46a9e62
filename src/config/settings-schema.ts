import { z } from "zod";
import { chatWrapperNames } from "../models/embedded/chat-wrapper-names.ts";

/**
 * A catalog entry in config: a full new model, or an override naming an existing id and only the fields to change.
 * Checked against the full entry schema after merging (see load-settings.ts), so defaults never overwrite.
 */
export const modelOverrideSchema = z.object({ id: z.string().min(1) }).catchall(z.unknown());

export const providerSettingsSchema = z.object({
  apiKey: z.string().optional(),
  baseUrl: z.string().url().optional(),
});

/** When and with what old turns are compacted (issue 14); the defaults are in agent/compaction/. */
export const compactionSettingsSchema = z
  .object({
    model: z.string().min(1).optional(),
    windowShare: z.number().gt(0).lte(1).optional(),
    budgetShare: z.number().gt(0).lte(1).optional(),
  })
  .strict();

export const agentSettingsSchema = z.object({
  instructions: z.string().min(1),
  model: z.string().optional(),
  /** An escalation ladder, cheapest first (its first model replaces `model`): see docs/architecture.md. */
  models: z.array(z.string().min(1)).min(1).optional(),
  /** Built-in tool names and other agents as `agent:<name>`; all built-in tools when absent. */
  tools: z.array(z.string()).optional(),
  /** What the agent does, told to agents that call it as a tool (`agent:<name>`); default its instructions. */
  description: z.string().min(1).optional(),
  budgetUsd: z.number().positive().optional(),
  maxSteps: z.number().int().positive().optional(),
  /** Folder the agent's file tools work in, for agents run by the server. */
  workspace: z.string().optional(),
  approval: z.enum(["ask", "auto", "deny"]).optional(),
  compaction: compactionSettingsSchema.optional(),
  /** Models a call moves to when the agent's model is down (see "Model fallback" in docs/architecture.md). */
  fallbacks: z.array(z.string().min(1)).min(1).optional(),
});

/** How the file tools treat what the workspace holds. */
export const filesSettingsSchema = z
  .object({
    /** Read regular files that have more than one hard link (pnpm's store links files on purpose). */
    allowHardLinks: z.boolean().default(false),
  })
  .strict();

/** How `run_command` is isolated: `auto` uses bubblewrap where installed, `required` refuses to run without it. */
export const shellSettingsSchema = z
  .object({
    sandbox: z.enum(["auto", "required", "off"]).default("auto"),
  })
  .strict();

/** Which browser origins and Host names `tansuo serve` answers besides its own address. */
export const serverSettingsSchema = z
  .object({
    allowedOrigins: z.array(z.string().min(1)).default([]),
    allowedHosts: z.array(z.string().min(1)).default([]),
    /** Every run started through `POST /v1/runs` is queued for `tansuo worker` processes, never executed here. */
    runsOnWorkers: z.boolean().default(false),
  })
  .strict();

const environmentVariableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name");

/** Where web_search sends queries; the key is read from the variable `apiKeyEnv` names, never written here. */
export const searchSettingsSchema = z.discriminatedUnion("provider", [
  z.object({ provider: z.literal("searxng"), url: z.string().url() }).strict(),
  z
    .object({ provider: z.literal("brave"), apiKeyEnv: environmentVariableName, url: z.string().url().optional() })
    .strict(),
  z
    .object({ provider: z.literal("tavily"), apiKeyEnv: environmentVariableName, url: z.string().url().optional() })
    .strict(),
]);

/** What the network tools may reach: fetch_url refuses non-public addresses unless `allowHosts` lists them. */
export const webSettingsSchema = z
  .object({
    allowHosts: z.array(z.string().min(1)).default([]),
    search: searchSettingsSchema.optional(),
    requireApproval: z.boolean().default(true),
  })
  .strict();

// Server names become the prefix of tool names (`<server>__<tool>`), so they use the characters a tool name may.
const mcpServerNamePattern = /^[A-Za-z0-9-]+(_[A-Za-z0-9-]+)*$/;

/** What every MCP server entry may add to the shape other MCP clients use. */
const mcpServerCommonFields = {
  /** Its tools run without asking (otherwise each call needs approval). */
  trusted: z.boolean().optional(),
  /** A tool call that takes longer is stopped (default 60 s). */
  timeoutSeconds: z.number().positive().optional(),
};

/** An MCP server started as a child process, spoken to over stdio. */
export const mcpStdioServerSchema = z
  .object({
    command: z.string().min(1),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional(),
    cwd: z.string().optional(),
    ...mcpServerCommonFields,
  })
  .strict();

/** An MCP server reached over streamable HTTP. */
export const mcpHttpServerSchema = z
  .object({
    url: z.string().url(),
    headers: z.record(z.string(), z.string()).optional(),
    ...mcpServerCommonFields,
  })
  .strict();

export const mcpServerSettingsSchema = z.union([mcpStdioServerSchema, mcpHttpServerSchema]);

export const mcpServersSettingsSchema = z
  .record(z.string(), mcpServerSettingsSchema)
  .superRefine((servers, context) => {
    for (const name of Object.keys(servers)) {
      if (name.length <= 32 && mcpServerNamePattern.test(name)) continue;
      context.addIssue({
        code: "custom",
        path: [name],
        message: 'a server name becomes a tool-name prefix: use letters, digits, "-" and single "_" (up to 32)',
      });
    }
  });

/** OpenTelemetry export of run and gateway spans; the standard OTEL_* variables turn it on too. */
export const telemetrySettingsSchema = z
  .object({
    /** The OTLP/HTTP base address (spans go to <endpoint>/v1/traces), e.g. http://127.0.0.1:4318. */
    endpoint: z.string().url().optional(),
    /** Sent with every export (a collector's token): kept out of every span. */
    headers: z.record(z.string(), z.string()).default({}),
    /** Prompts, answers, tool arguments and results as span attributes; off by default. */
    captureContent: z.boolean().default(false),
    serviceName: z.string().min(1).optional(),
  })
  .strict();

/** Local (GGUF) models run in-process; `TANSUO_CHAT_WRAPPER` in the environment wins over `chatWrapper`. */
export const embeddedSettingsSchema = z
  .object({
    /** Forces a chat wrapper (and so a tool-call syntax) instead of the one the GGUF's template resolves to. */
    chatWrapper: z.enum(chatWrapperNames).optional(),
  })
  .strict();

/** Hooks in the shape Claude Code's settings use, so existing hook scripts work unchanged (see agent/hooks/). */
export const hookEventNames = [
  "PreToolUse",
  "PostToolUse",
  "UserPromptSubmit",
  "Stop",
  "SessionStart",
  "PreCompact",
  "PermissionRequest",
] as const;

export const hookCommandSchema = z
  .object({
    type: z.literal("command"),
    command: z.string().min(1),
    /** Seconds before the hook's process group is killed (default 60). */
    timeout: z.number().positive().max(3600).optional(),
  })
  .passthrough();

export const hookMatcherSchema = z
  .object({
    /** A regular expression on the tool name (PreToolUse, PostToolUse, PermissionRequest); absent, "" or "*": all. */
    matcher: z.string().optional(),
    hooks: z.array(hookCommandSchema),
  })
  .passthrough()
  .superRefine((entry, context) => {
    if (!entry.matcher || entry.matcher === "*") return;
    try {
      new RegExp(entry.matcher);
    } catch (error) {
      context.addIssue({ code: "custom", path: ["matcher"], message: `not a regular expression (${String(error)})` });
    }
  });

export const hooksSettingsSchema = z.partialRecord(z.enum(hookEventNames), z.array(hookMatcherSchema)).default({});

export const settingsSchema = z
  .object({
    defaultModel: z.string().optional(),
    /** Where runs, ledger and keys are kept: a SQLite file, or a postgres:// URL (TANSUO_STORE and --store win). */
    store: z.string().optional(),
    models: z.array(modelOverrideSchema).default([]),
    providers: z.record(z.string(), providerSettingsSchema).default({}),
    agents: z.record(z.string(), agentSettingsSchema).default({}),
    files: filesSettingsSchema.default({ allowHardLinks: false }),
    shell: shellSettingsSchema.default({ sandbox: "auto" }),
    server: serverSettingsSchema.default({ allowedOrigins: [], allowedHosts: [], runsOnWorkers: false }),
    web: webSettingsSchema.default({ allowHosts: [], requireApproval: true }),
    /** MCP servers whose tools runs may use (`tansuo run --mcp`). */
    mcpServers: mcpServersSettingsSchema.default({}),
    telemetry: telemetrySettingsSchema.optional(),
    embedded: embeddedSettingsSchema.default({}),
    compaction: compactionSettingsSchema.optional(),
    /** Commands run around tool calls, prompts and the run's end (Claude Code's `hooks` shape). */
    hooks: hooksSettingsSchema,
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;
export type AgentSettings = z.infer<typeof agentSettingsSchema>;
export type TelemetrySettings = z.infer<typeof telemetrySettingsSchema>;
export type ModelOverride = z.infer<typeof modelOverrideSchema>;
export type HooksSettings = z.infer<typeof hooksSettingsSchema>;
export type HookEventName = (typeof hookEventNames)[number];
