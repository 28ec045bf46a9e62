import type { TokenUsage } from "../cost/usage.ts";
import type { RunStatus } from "../store/records.ts";
import type { UserMessageEvent } from "../store/user-message-event.ts";

/** Every state change of a run; the terminal view renders them and the server streams them. */
export type RunEvent =
  | { type: "status"; status: RunStatus; reason?: string }
  | { type: "step-started"; step: number; maxOutputTokens: number; promptTokens: number }
  | { type: "reasoning-delta"; step: number; text: string }
  | { type: "text-delta"; step: number; text: string }
  | { type: "tool-call"; step: number; callId: string; toolName: string; input: string }
  | {
      type: "tool-result";
      step: number;
      callId: string;
      toolName: string;
      output: string;
      isError: boolean;
      /** Placeholders such as `[image image/png 12 KB]` for the images the tool returned; never their bytes. */
      images?: string[];
    }
  | { type: "approval-required"; calls: { callId: string; toolName: string; input: string; interrupted: boolean }[] }
  | { type: "usage"; step: number; usage: TokenUsage; costUsd: string; totalCostUsd: string; totalUsage: TokenUsage }
  /** How fast a local model evaluated the prompt and generated this step (remote providers do not say). */
  | { type: "speed"; step: number; promptTokensPerSecond: number; generationTokensPerSecond: number }
  | { type: "retry"; attempt: number; delayMilliseconds: number; message: string }
  | { type: "warning"; message: string }
  /** Old turns were summarised (a compaction step); the full history stays in the store. */
  | {
      type: "compaction";
      step: number;
      compactedSteps: number;
      tokensBefore: number;
      tokensAfter: number;
      costUsd: string;
      reason: string;
    }
  | { type: "finished"; status: RunStatus; output?: string; error?: string; costUsd: string }
  /** The run moved on its escalation ladder (or stayed, when the budget could not pay for the move). */
  | {
      type: "model-switch";
      step: number;
      from: { model: string; thinking: boolean };
      to: { model: string; thinking: boolean };
      reason: string;
    }
  /** An agent tool's call started (or found again on resume) a child run: its own durable run, linked to this one. */
  | { type: "child-run"; step: number; callId: string; childRunId: string; agentName: string; budgetUsd?: string }
  /** A person's follow-up was added to the run (written with the message). */
  | UserMessageEvent
  /** A hook (config `hooks`) ran: what it decided, or that it failed or hung (then it counted as allow). */
  | {
      type: "hook";
      event: string;
      command: string;
      outcome: "allowed" | "blocked" | "changed" | "failed" | "timed-out";
      message?: string;
    }
  /** A tool call's file changes were recorded (workspace-relative paths), so they can be undone. */
  | { type: "checkpoint"; step: number; callId: string; files: string[] }
  /** Workspace files were restored to before step `toStep`'s tool calls; `skipped` were left, each with why. */
  | { type: "undo"; toStep: number; restored: string[]; skipped: string[] }
  /** A background job (run_command `background: true`) started, exited on its own, or was stopped. */
  | { type: "job"; jobId: string; command: string; state: "started" | "exited" | "stopped"; exitCode?: number }
  /** The run switched between plan and normal mode (`--mode`, `/plan`, `/go`). */
  | { type: "mode"; mode: "plan" | "normal" }
  /** The model was down (or could not be used), so the step's call moved to the next model in `fallbacks`. */
  | { type: "model-fallback"; step: number; from: string; to: string; reason: string };

export type RunEventListener = (event: RunEvent) => void;
