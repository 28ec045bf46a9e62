import { useEffect, useState } from "preact/hooks";

/** A page address in the hash (#/runs, #/runs/<id>, #/costs, #/evals), so the server serves one index.html. */
export interface Route {
  page: "runs" | "run" | "costs" | "evals" | "unknown";
  runId?: string;
  query: URLSearchParams;
  path: string;
}

export function parseRoute(hash: string): Route {
  const [path = "", search = ""] = hash.replace(/^#/, "").split("?");
  const query = new URLSearchParams(search);
  const parts = path.split("/").filter(Boolean);
  if (parts.length === 0 || (parts[0] === "runs" && parts.length === 1)) return { page: "runs", query, path };
  if (parts[0] === "runs" && parts.length === 2)
    return { page: "run", runId: decodeURIComponent(parts[1]!), query, path };
  if (parts[0] === "costs" && parts.length === 1) return { page: "costs", query, path };
  if (parts[0] === "evals" && parts.length === 1) return { page: "evals", query, path };
  return { page: "unknown", query, path };
}

export const runHref = (runId: string): string => `#/runs/${encodeURIComponent(runId)}`;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", update);
    return () => removeEventListener("hashchange", update);
  }, []);
  return route;
}

/** Replaces the hash's query (filters) without adding a history entry per keystroke. */
export function setQuery(path: string, query: URLSearchParams): void {
  const search = query.toString();
  history.replaceState(null, "", `#${path}${search ? `?${search}` : ""}`);
  dispatchEvent(new HashChangeEvent("hashchange"));
}
