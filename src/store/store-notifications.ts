/** Called after a run's event commits, with its sequence; with undefined after a lapse, when some may have been missed. */
export type RunEventsListener = (sequence: number | undefined) => void;

/**
 * A store's word that something was written, from any process on the same database, so followers read the store now
 * instead of at their next poll. Only a hint: the rows stay the truth, a listener reads them from its last seen
 * sequence. Delivered after the write commits (never before its rows can be read). After a lapse (the connection that
 * listens was lost and is back), every listener is called once with nothing, since notices in between are gone.
 * PostgreSQL implements it with LISTEN/NOTIFY; SQLite and the memory store do not (their followers poll).
 */
export interface StoreNotifications {
  /** `listener(sequence)` for each event appended to the run; returns the unsubscribe. */
  onRunEvents(runId: string, listener: RunEventsListener): () => void;
  /** `listener()` when a run may have become claimable by workers (created, queued again, released). */
  onRunQueued(listener: () => void): () => void;
  /** `listener()` when any run's row changed (created, its status, settings or totals): the runs list re-reads. */
  onRunsChanged(listener: () => void): () => void;
}
