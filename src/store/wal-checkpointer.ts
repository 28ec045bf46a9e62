import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

// The worker opens its own connection to the same file and checkpoints it on a timer; it runs as plain
// CommonJS so that it needs no TypeScript loader.
const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const database = new Database(workerData.file, { fileMustExist: true });
database.pragma("busy_timeout = 5000");
const checkpoint = () => {
  try {
    database.pragma("wal_checkpoint(PASSIVE)");
  } catch {}
};
const timer = setInterval(checkpoint, workerData.intervalMilliseconds);
parentPort.once("message", () => {
  clearInterval(timer);
  checkpoint();
  database.close();
  parentPort.close();
});
`;

/**
 * Checkpoints a WAL database from a worker thread: copying WAL pages into the database file and syncing both
 * takes milliseconds, and on the main thread it would stall every request in flight. `onRunning` is told when the
 * worker is up and when it has stopped, so the main connection leaves checkpoints to it only while it runs.
 */
export class WalCheckpointer {
  private readonly worker: Worker;

  constructor(file: string, intervalMilliseconds: number, onRunning: (running: boolean) => void) {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    this.worker = new Worker(workerSource, { eval: true, workerData: { file, driver, intervalMilliseconds } });
    this.worker.unref();
    this.worker.once("online", () => onRunning(true));
    // A worker that fails (or is stopped) hands checkpoints back, so the WAL cannot grow without bound.
    this.worker.once("error", () => {});
    this.worker.once("exit", () => onRunning(false));
  }

  /** Checkpoints once more and closes the worker's connection. */
  stop(): void {
    this.worker.postMessage("stop");
  }
}
