import { runStatuses } from "../../../src/store/records.ts";
import type { RunStatus } from "../api-types.ts";
import { t } from "../i18n.ts";
import { useDebounced } from "./use-debounced.ts";

// The statuses the store knows, plus the one the API shows for a run whose process is gone.
const statuses: readonly RunStatus[] = [...runStatuses, "interrupted"];

export interface RunFilterValues {
  status: string;
  model: string;
  key: string;
  q: string;
}

function TextFilter(props: {
  id: string;
  label: string;
  value: string;
  type?: string;
  list?: string;
  onSettled: (value: string) => void;
}) {
  const [value, setValue] = useDebounced(props.value, props.onSettled);
  return (
    <label class="filter">
      {props.label}
      <input
        id={props.id}
        type={props.type ?? "text"}
        value={value}
        list={props.list}
        autocomplete="off"
        onInput={(event) => setValue(event.currentTarget.value)}
      />
    </label>
  );
}

/** Status, model, key and task search; each change goes into the address so a reload keeps it. */
export function RunFilters(props: {
  values: RunFilterValues;
  models: readonly string[];
  onChange: (name: keyof RunFilterValues, value: string) => void;
}) {
  return (
    <form class="run-filters" aria-label={t("runs.filters")} onSubmit={(event) => event.preventDefault()}>
      <TextFilter
        id="run-search"
        type="search"
        label={t("runs.search")}
        value={props.values.q}
        onSettled={(value) => props.onChange("q", value)}
      />
      <label class="filter">
        {t("runs.status")}
        <select value={props.values.status} onChange={(event) => props.onChange("status", event.currentTarget.value)}>
          <option value="">{t("runs.anyStatus")}</option>
          {statuses.map((status) => (
            <option value={status} key={status}>
              {t(`status.${status}`)}
            </option>
          ))}
        </select>
      </label>
      <TextFilter
        id="run-model"
        label={t("runs.model")}
        value={props.values.model}
        list="run-models"
        onSettled={(value) => props.onChange("model", value)}
      />
      <datalist id="run-models">
        {props.models.map((model) => (
          <option value={model} key={model} />
        ))}
      </datalist>
      <TextFilter
        id="run-key"
        label={t("runs.key")}
        value={props.values.key}
        onSettled={(value) => props.onChange("key", value)}
      />
    </form>
  );
}
