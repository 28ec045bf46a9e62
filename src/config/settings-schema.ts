import { z } from "zod";

/**
 * A catalog entry in config: a full new model, or an override naming an existing id and only the fields to change.
 * Checked against the full entry schema after merging (see load-settings.ts), so defaults never overwrite.
 */
export const modelOverrideSchema = z.object({ id: z.string().min(1) }).catchall(z.unknown());

export const providerSettingsSchema = z.object({
  apiKey: z.string().optional(),
  baseUrl: z.string().url().optional(),
});

export const agentSettingsSchema = z.object({
  instructions: z.string().min(1),
  model: z.string().optional(),
  /** Built-in tool names; all of them when absent. */
  tools: z.array(z.string()).optional(),
  budgetUsd: z.number().positive().optional(),
  maxSteps: z.number().int().positive().optional(),
  /** Folder the agent's file tools work in, for agents run by the server. */
  workspace: z.string().optional(),
  approval: z.enum(["ask", "auto", "deny"]).optional(),
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

export const settingsSchema = z
  .object({
    defaultModel: z.string().optional(),
    models: z.array(modelOverrideSchema).default([]),
    providers: z.record(z.string(), providerSettingsSchema).default({}),
    agents: z.record(z.string(), agentSettingsSchema).default({}),
    files: filesSettingsSchema.default({ allowHardLinks: false }),
    shell: shellSettingsSchema.default({ sandbox: "auto" }),
    server: serverSettingsSchema.default({ allowedOrigins: [], allowedHosts: [] }),
    web: webSettingsSchema.default({ allowHosts: [], requireApproval: true }),
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;
export type AgentSettings = z.infer<typeof agentSettingsSchema>;
export type ModelOverride = z.infer<typeof modelOverrideSchema>;
