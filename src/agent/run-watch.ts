import type { RunState } from "../store/records.ts";
import type { Store } from "../store/store.ts";

/** Told the run's state at each poll: undefined when the run is gone from the store. */
export type RunStateListener = (state: RunState | undefined) => Promise<void>;

export const runWatchMilliseconds = 500;

interface StoreWatch {
  // A set, not a map by run: two executions of one run in this process (a takeover test) are watched apart.
  listeners: Set<{ runId: string; listener: RunStateListener }>;
  timer: NodeJS.Timeout;
  polling: boolean;
}

// One poll per store for all the runs this process executes on it: a thousand runs cost one query per tick, not 2,000.
const watches = new WeakMap<Pick<Store, "runStatesOf">, StoreWatch>();

/**
 * Calls `listener` every 500 ms with the run's stored status and lease owner (a cancel or a takeover from another
 * process reaches this one only through the store). Returns the function that stops watching.
 */
export function watchRun(store: Pick<Store, "runStatesOf">, runId: string, listener: RunStateListener): () => void {
  let watch = watches.get(store);
  if (!watch) {
    const created: StoreWatch = {
      listeners: new Set(),
      polling: false,
      timer: setInterval(() => void poll(store, created), runWatchMilliseconds),
    };
    created.timer.unref();
    watches.set(store, created);
    watch = created;
  }
  const entry = { runId, listener };
  watch.listeners.add(entry);
  const watched = watch;
  return () => {
    if (!watched.listeners.delete(entry) || watched.listeners.size > 0) return;
    clearInterval(watched.timer);
    if (watches.get(store) === watched) watches.delete(store);
  };
}

async function poll(store: Pick<Store, "runStatesOf">, watch: StoreWatch): Promise<void> {
  // One poll at a time: a slow store must not pile them up.
  if (watch.polling || watch.listeners.size === 0) return;
  watch.polling = true;
  try {
    const entries = [...watch.listeners];
    const ids = [...new Set(entries.map((entry) => entry.runId))];
    const states = new Map((await store.runStatesOf(ids)).map((state) => [state.id, state]));
    // Each listener's own writes (a renewal) go out together; one that fails is asked again at the next poll.
    await Promise.all(entries.map(({ runId, listener }) => listener(states.get(runId)).catch(() => {})));
  } catch {
    // A store that failed for a moment is asked again at the next poll; the runs' own writes report it.
  } finally {
    watch.polling = false;
  }
}
