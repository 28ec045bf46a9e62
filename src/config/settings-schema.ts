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

export const settingsSchema = z
  .object({
    defaultModel: z.string().optional(),
    models: z.array(modelOverrideSchema).default([]),
    providers: z.record(z.string(), providerSettingsSchema).default({}),
    agents: z.record(z.string(), agentSettingsSchema).default({}),
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;
export type AgentSettings = z.infer<typeof agentSettingsSchema>;
export type ModelOverride = z.infer<typeof modelOverrideSchema>;
