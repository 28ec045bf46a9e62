import type { Client } from "pg";
import type { RunEventsListener, StoreNotifications } from "../store-notifications.ts";
import { eventsChannel, parseEventNotice, queuedChannel, runsChannel } from "./postgres-channels.ts";
import type { PostgresStoreOptions } from "./postgres-connection.ts";

export const listenerApplicationName = "tansuo-listen";
const firstRetryMilliseconds = 100;
// Kept this long after its last subscriber left (followers come and go), then closed so a process can exit.
const lingerMilliseconds = 1_000;
const lastRetryMilliseconds = 5_000;

/**
 * The store's notifications over one dedicated LISTEN connection (a pg Client, not from the pool: a pooled
 * connection would be lent to queries and lose its LISTEN). Opened on the first subscriber, closed a second after the
 * last one leaves (an open socket would keep a stopped worker's process alive) or with the store; when it
 * drops it is opened again with backoff. Each time a connection starts listening, every listener is called with
 * nothing, so it re-reads the table: notices sent while none listened (a drop, or before the first) are gone.
 */
export class PostgresListener implements StoreNotifications {
  private readonly runListeners = new Map<string, Set<RunEventsListener>>();
  private readonly queuedListeners = new Set<() => void>();
  private readonly runsListeners = new Set<() => void>();
  private client: Client | undefined;
  private opening = false;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMilliseconds = firstRetryMilliseconds;
  private lingerTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: PostgresStoreOptions) {}

  onRunEvents(runId: string, listener: RunEventsListener): () => void {
    let listeners = this.runListeners.get(runId);
    if (!listeners) {
      listeners = new Set();
      this.runListeners.set(runId, listeners);
    }
    listeners.add(listener);
    this.ensureOpen();
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.runListeners.get(runId) === listeners) this.runListeners.delete(runId);
      this.closeWhenUnused();
    };
  }

  onRunQueued(listener: () => void): () => void {
    return this.add(this.queuedListeners, listener);
  }

  onRunsChanged(listener: () => void): () => void {
    return this.add(this.runsListeners, listener);
  }

  private add(listeners: Set<() => void>, listener: () => void): () => void {
    // A wrapper, so the same function subscribed twice is two subscriptions.
    const entry = () => listener();
    listeners.add(entry);
    this.ensureOpen();
    return () => {
      listeners.delete(entry);
      this.closeWhenUnused();
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.lingerTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private closeWhenUnused(): void {
    if (this.subscribers() > 0 || this.lingerTimer) return;
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = undefined;
      if (this.subscribers() > 0) return;
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      const client = this.client;
      this.client = undefined;
      client?.removeAllListeners();
      client?.on("error", () => {});
      void client?.end().catch(() => {});
    }, lingerMilliseconds);
  }

  private subscribers(): number {
    return this.runListeners.size + this.queuedListeners.size + this.runsListeners.size;
  }

  private ensureOpen(): void {
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    if (this.closed || this.client || this.opening || this.retryTimer) return;
    this.opening = true;
    void this.open().finally(() => {
      this.opening = false;
    });
  }

  private async open(): Promise<void> {
    const schema = this.options.schema ?? "public";
    let client: Client | undefined;
    try {
      const { default: pg } = await import("pg");
      // Named, so an operator (or a test) finds it in pg_stat_activity.
      client = new pg.Client({ connectionString: this.options.url, application_name: listenerApplicationName });
      // Until LISTEN succeeded a failure is handled below; after, a drop (the server ended it) opens another.
      client.on("error", () => this.dropped(client!));
      client.on("end", () => this.dropped(client!));
      client.on("notification", (notice) => this.deliver(notice.channel, notice.payload ?? "", schema));
      await client.connect();
      await client.query(
        `LISTEN ${eventsChannel(schema)}; LISTEN ${queuedChannel(schema)}; LISTEN ${runsChannel(schema)}`,
      );
    } catch {
      client?.removeAllListeners();
      await client?.end().catch(() => {});
      this.retryLater();
      return;
    }
    // Closed, or every subscriber left while it opened: nobody needs it.
    if (this.closed || this.subscribers() === 0) {
      client.removeAllListeners();
      client.on("error", () => {});
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.retryMilliseconds = firstRetryMilliseconds;
    // Notices sent before this connection listened (none up yet, or the last one dropped) are gone: re-read.
    this.tellEveryone();
  }

  private dropped(client: Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners();
    client.on("error", () => {});
    void client.end().catch(() => {});
    this.retryLater();
  }

  private retryLater(): void {
    if (this.closed || this.retryTimer || this.subscribers() === 0) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.ensureOpen();
    }, this.retryMilliseconds);
    this.retryMilliseconds = Math.min(this.retryMilliseconds * 2, lastRetryMilliseconds);
  }

  private deliver(channel: string, payload: string, schema: string): void {
    if (channel === `tansuo_queued.${schema}`) {
      for (const listener of [...this.queuedListeners]) listener();
      return;
    }
    if (channel === `tansuo_runs.${schema}`) {
      for (const listener of [...this.runsListeners]) listener();
      return;
    }
    const notice = parseEventNotice(payload);
    if (!notice) return;
    for (const listener of [...(this.runListeners.get(notice.runId) ?? [])]) listener(notice.sequence);
  }

  private tellEveryone(): void {
    for (const listeners of [...this.runListeners.values()]) for (const listener of [...listeners]) listener(undefined);
    for (const listener of [...this.queuedListeners, ...this.runsListeners]) listener();
  }
}
