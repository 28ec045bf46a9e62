import { modelSwitchText } from "../../agent/escalation/model-switches.ts";
import type { RunEvent } from "../../agent/index.ts";
import { emptyUsage, type TokenUsage } from "../../cost/usage.ts";
import { Usd } from "../../cost/usd.ts";
import { formatTokens, shorten } from "../format.ts";

const spinnerFrames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/**
 * The live view of a run. On a terminal: one status line redrawn in place (spinner, step, activity, tokens, cost)
 * with a line per tool call above it. Elsewhere: a short line per tool call on stderr, nothing else.
 */
export class RunProgressView {
  private step = 0;
  private activity = "starting";
  private usage: TokenUsage = emptyUsage();
  /** The last local step's generation speed, e.g. "41.5 tok/s"; empty for remote models. */
  private speed = "";
  private costUsd = "0";
  private frame = 0;
  private paused = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly toolNames = new Map<string, string>();

  constructor(
    private readonly output: NodeJS.WritableStream,
    private readonly interactive: boolean,
  ) {
    if (interactive) {
      this.timer = setInterval(() => this.draw(), 100);
      this.timer.unref();
    }
  }

  handle(event: RunEvent): void {
    switch (event.type) {
      case "step-started":
        this.step = event.step + 1;
        this.activity = "thinking";
        break;
      case "reasoning-delta":
        this.activity = "reasoning";
        break;
      case "text-delta":
        this.activity = "writing";
        break;
      case "tool-call":
        this.toolNames.set(event.callId, `${event.toolName} ${shorten(event.input, 60)}`);
        this.activity = `${event.toolName}`;
        break;
      case "tool-result":
        this.line(`${event.isError ? "✗" : "✓"} ${this.toolNames.get(event.callId) ?? event.toolName}`);
        break;
      case "speed":
        this.speed = `${event.generationTokensPerSecond} tok/s (prompt ${event.promptTokensPerSecond} tok/s)`;
        break;
      case "usage":
        this.usage = event.totalUsage;
        this.costUsd = event.totalCostUsd;
        break;
      case "retry":
        this.line(`… retry ${event.attempt} in ${Math.round(event.delayMilliseconds / 100) / 10}s: ${event.message}`);
        break;
      case "warning":
        this.line(`! ${event.message}`);
        break;
      case "model-switch":
        this.line(`⇅ ${modelSwitchText(event)}`);
        break;
      case "approval-required":
        for (const call of event.calls) {
          this.line(
            `? ${call.toolName} ${shorten(call.input, 60)} needs approval${call.interrupted ? " (interrupted)" : ""}`,
          );
        }
        break;
    }
    this.draw();
  }

  /** Clears the status line and stops redrawing it while something else uses the terminal (a prompt). */
  pause(): void {
    this.paused = true;
    if (this.interactive) this.output.write("\r\x1b[2K");
  }

  resume(): void {
    this.paused = false;
    this.draw();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.pause();
  }

  private line(text: string): void {
    if (this.interactive) this.output.write(`\r\x1b[2K  ${text}\n`);
    else this.output.write(`${text}\n`);
  }

  private draw(): void {
    if (!this.interactive || this.paused) return;
    this.frame = (this.frame + 1) % spinnerFrames.length;
    const tokens = `${formatTokens(this.usage.inputTokens)} in / ${formatTokens(this.usage.outputTokens)} out`;
    const speed = this.speed === "" ? "" : ` · ${this.speed}`;
    const status = `${spinnerFrames[this.frame]} step ${this.step} · ${this.activity} · ${tokens}${speed} · ${Usd.format(this.costUsd)}`;
    this.output.write(`\r\x1b[2K${shorten(status, 110)}`);
  }
}
