import { formatProgressLine, formatProgressNote } from "./format-progress.ts";
import type { ProgressState } from "./progress-state.ts";

export interface ProgressReporter {
  update(state: ProgressState): void;
  /** Ends the line on a terminal; prints the last note otherwise. */
  finish(state: ProgressState): void;
}

const redrawIntervalMs = 100;

/**
 * On a terminal, one line redrawn in place (at most ten times a second); elsewhere a plain line at each
 * tenth of the run, so logs stay short.
 */
export function createProgressReporter(stream: NodeJS.WritableStream, isTerminal: boolean): ProgressReporter {
  let lastDraw = 0;
  let lastTenth = 0;
  const columns = () => (stream as { columns?: number }).columns ?? 100;
  const draw = (state: ProgressState) => stream.write(`\r${formatProgressLine(state, columns())}\x1b[K`);
  return {
    update(state) {
      if (isTerminal) {
        const now = Date.now();
        if (now - lastDraw < redrawIntervalMs && state.done < state.total) return;
        lastDraw = now;
        draw(state);
        return;
      }
      const tenth = state.total === 0 ? 10 : Math.floor((state.done / state.total) * 10);
      if (tenth > lastTenth && tenth < 10) {
        lastTenth = tenth;
        stream.write(`${formatProgressNote(state)}\n`);
      }
    },
    finish(state) {
      if (isTerminal) {
        draw(state);
        stream.write("\n");
      } else if (state.total > 0) {
        stream.write(`${formatProgressNote(state)}\n`);
      }
    },
  };
}
