import type { NewRunSettings } from "../../src/agent/index.ts";

/** The settings of every measured run: one read_file call on the note, then the answer (two model calls). */
export const benchRunSettings = (modelUrl: string, workspace: string, index: number): NewRunSettings => ({
  task: `Read note.txt and say done (run ${index}).`,
  model: "deepseek-chat",
  baseUrl: modelUrl,
  workspace,
  maxSteps: 5,
  thinking: "auto",
  approval: "deny",
  toolChoice: "auto",
  tools: ["read_file"],
  alwaysAllowedTools: [],
});
