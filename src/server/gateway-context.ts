import type { Settings } from "../config/settings-schema.ts";
import type { ReadOnlyCatalog } from "../models/read-only-catalog.ts";
import type { Store } from "../store/store.ts";
import type { EvalResultsSource } from "./eval-results-source.ts";
import type { KeyBudget } from "./key-budget.ts";
import type { KeyLimits } from "./key-limits.ts";
import type { ServedModels } from "./served-models.ts";

/** What the routes share: the store, the served models, and the per-key budget and limits. */
export interface GatewayContext {
  store: Store;
  settings: Settings;
  models: ServedModels;
  /** The catalog with the user's overrides: its price rows back /v1/prices and the run priced on other models. */
  catalog: ReadOnlyCatalog;
  /** The eval results GET /v1/evals shows (`--evals <dir>`); none when absent. */
  evalResults: EvalResultsSource | undefined;
  budget: KeyBudget;
  limits: KeyLimits;
  now: () => Date;
  /** How long an upstream may take to start answering before the caller gets a 504. */
  upstreamTimeoutMilliseconds: number;
  /** True when the server listens on a loopback address: anonymous local use is allowed while no key exists. */
  bindIsLoopback: boolean;
  /** Request bodies past this size are refused with 413. */
  bodyLimitBytes: number;
}
