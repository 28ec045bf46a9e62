/**
 * Runs started together (a thousand `executeRun`s at once) begin one per turn of the event loop: on an embedded
 * store every write is synchronous, so a run's work until its first model call never yields, and a thousand of them
 * in one go would hold timers and sockets (other runs' answers) for seconds.
 */
const waiting: (() => void)[] = [];
let scheduled = false;

export function startTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (scheduled) return;
    scheduled = true;
    setImmediate(releaseNext);
  });
}

// An immediate scheduled from an immediate runs on the next turn, after the timers and sockets that are due.
function releaseNext(): void {
  waiting.shift()?.();
  if (waiting.length > 0) setImmediate(releaseNext);
  else scheduled = false;
}
