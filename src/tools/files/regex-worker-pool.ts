import { Worker } from "node:worker_threads";

// One started worker is kept between searches: starting one costs about 40 ms, matching a small tree less.
let idleWorker: Worker | undefined;

/** A worker that matches regular expressions, started now or kept from an earlier search. */
export function takeRegexWorker(): Worker {
  const worker = idleWorker ?? startWorker();
  idleWorker = undefined;
  worker.ref();
  return worker;
}

/** Keeps a worker that finished its search cleanly for the next one; a second idle worker is ended. */
export function returnRegexWorker(worker: Worker): void {
  worker.removeAllListeners("message");
  worker.removeAllListeners("error");
  if (idleWorker) {
    void worker.terminate();
    return;
  }
  // An idle worker must not keep the process alive.
  worker.unref();
  idleWorker = worker;
}

function startWorker(): Worker {
  // Plain JavaScript with no loader flags: the worker needs neither tsx nor the parent's options.
  const worker = new Worker(new URL("./regex-search-worker.js", import.meta.url), { execArgv: [] });
  worker.once("exit", () => {
    if (idleWorker === worker) idleWorker = undefined;
  });
  return worker;
}
