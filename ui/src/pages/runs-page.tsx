import { useEffect, useMemo, useState } from "preact/hooks";
import { followEvents } from "../api.ts";
import type { RunList, RunObject } from "../api-types.ts";
import { t } from "../i18n.ts";
import { setQuery } from "../router.ts";
import { isLive } from "../run/run-states.ts";
import { LiveIndicator } from "../runs/live-indicator.tsx";
import { mergeRun } from "../runs/merge-runs.ts";
import { RunFilters, type RunFilterValues } from "../runs/run-filters.tsx";
import { RunsTable } from "../runs/runs-table.tsx";
import { useNow } from "../runs/use-now.ts";
import { useJson } from "../use-json.ts";

const pageSize = "50";

/** The runs list: filters and search kept in the address, pages by `before`, new runs and changes live. */
export function RunsPage({ query }: { query: URLSearchParams }) {
  const filters: RunFilterValues = {
    status: query.get("status") ?? "",
    model: query.get("model") ?? "",
    key: query.get("key") ?? "",
    q: query.get("q") ?? "",
  };
  const before = query.get("before") ?? "";
  const filterQuery = { status: filters.status, model: filters.model, key: filters.key, q: filters.q };
  const list = useJson<RunList>("/runs", { ...filterQuery, before, limit: pageSize });
  const [rows, setRows] = useState<RunObject[]>([]);
  const [live, setLive] = useState(false);
  const now = useNow(rows.some((run) => isLive(run.status)));

  useEffect(() => {
    if (list.data) setRows(list.data.data);
  }, [list.data]);

  const filterKey = JSON.stringify(filterQuery);
  const hasMore = list.data?.has_more ?? false;
  useEffect(() => {
    // Only after the list is in, so a streamed run lands on the rows it belongs among.
    if (!list.data) return;
    const stop = followEvents(
      "/runs",
      { ...filterQuery, stream: "true", since: list.data.as_of },
      (event) => {
        if (event.event !== "run") return;
        const run = JSON.parse(event.data) as RunObject;
        // A page of older runs takes changes to its rows but not new runs (they belong on the first page).
        setRows((current) =>
          before && !current.some((row) => row.id === run.id) ? current : mergeRun(current, run, filters, hasMore),
        );
      },
      setLive,
    );
    return () => {
      stop();
      setLive(false);
    };
  }, [filterKey, before, list.data]);

  const models = useMemo(() => [...new Set(rows.map((run) => run.model))].sort(), [rows]);
  const change = (name: keyof RunFilterValues, value: string) => {
    const next = new URLSearchParams(query);
    if (value.trim() === "") next.delete(name);
    else next.set(name, value.trim());
    next.delete("before");
    setQuery("/runs", next);
  };
  const pageFrom = (runId: string | undefined) => {
    const next = new URLSearchParams(query);
    if (runId) next.set("before", runId);
    else next.delete("before");
    setQuery("/runs", next);
  };

  return (
    <section aria-labelledby="runs-title">
      <div class="page-title">
        <h1 id="runs-title">{t("nav.runs")}</h1>
        <LiveIndicator live={live} />
      </div>
      <RunFilters values={filters} models={models} onChange={change} />
      {list.error ? (
        <p role="alert" class="error-text">
          {t("common.error", { message: list.error.message })}
        </p>
      ) : null}
      {list.loading && !list.data ? <p>{t("common.loading")}</p> : null}
      {list.data && rows.length === 0 ? <p class="muted">{t("runs.none")}</p> : null}
      {rows.length > 0 ? <RunsTable runs={rows} now={now} /> : null}
      <nav class="pager" aria-label={t("runs.pages")}>
        {before ? (
          <button type="button" class="secondary" onClick={() => pageFrom(undefined)}>
            {t("runs.newest")}
          </button>
        ) : null}
        {hasMore && rows.length > 0 ? (
          <button type="button" class="secondary" onClick={() => pageFrom(rows[rows.length - 1]?.id)}>
            {t("runs.older")}
          </button>
        ) : null}
      </nav>
    </section>
  );
}
