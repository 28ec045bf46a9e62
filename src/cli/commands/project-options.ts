import type { NewRunSettings } from "../../agent/index.ts";

/** `--mode` and `--no-project-instructions` of `run` and `chat` as new-run settings. */
export function projectOptions(options: {
  mode?: "plan" | "normal";
  projectInstructions?: boolean;
}): Pick<NewRunSettings, "mode" | "projectInstructions"> {
  return {
    ...(options.mode === "plan" ? { mode: "plan" as const } : {}),
    // An empty list is "read none": startRun reads the files only when the setting is absent.
    ...(options.projectInstructions === false ? { projectInstructions: [] } : {}),
  };
}
