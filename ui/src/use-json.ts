import { useCallback, useEffect, useState } from "preact/hooks";
import { getJson } from "./api.ts";

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  /** Fetches again (after an action, or when a live event says something changed). */
  reload: () => void;
}

/** GETs a /v1 resource when `path` or `query` change; undefined `path` waits. */
export function useJson<T>(path: string | undefined, query: Record<string, string | undefined> = {}): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const queryKey = JSON.stringify(query);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  useEffect(() => {
    if (path === undefined) return;
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    getJson<T>(path, JSON.parse(queryKey) as Record<string, string | undefined>, controller.signal).then(
      (data) => setState({ data, loading: false }),
      (error: Error) => {
        if (!controller.signal.aborted) setState((previous) => ({ ...previous, error, loading: false }));
      },
    );
    return () => controller.abort();
  }, [path, queryKey, generation]);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
