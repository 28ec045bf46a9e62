import type { Settings } from "./settings-schema.ts";

/**
 * What `settingsSchema.parse({})` gives, written out so a command can start without zod when no config file
 * exists (test/config/default-settings.test.ts keeps the two equal).
 */
export const defaultSettings = (): Settings => ({
  models: [],
  providers: {},
  agents: {},
  files: { allowHardLinks: false },
  shell: { sandbox: "auto" },
  server: { allowedOrigins: [], allowedHosts: [], runsOnWorkers: false },
  web: { allowHosts: [], requireApproval: true },
  mcpServers: {},
  embedded: {},
  hooks: {},
});
