import { MissingApiKeyError } from "../models/model-errors.ts";
import type { ServedModels } from "./served-models.ts";
import { gatewayErrorOf } from "./upstream-errors.ts";

/**
 * Refuses, before a run is created, an agent whose model this gateway cannot call (no API key for its provider),
 * so the caller gets a 400 now rather than a run that fails in the background.
 */
export async function refuseUnavailableModel(models: ServedModels, spec: string | undefined): Promise<void> {
  const served = spec === undefined ? undefined : models.find(spec);
  // Catalog models only: resolving a remote one is cheap, an embedded one would load its weights here.
  if (spec === undefined || served?.kind !== "model" || served.runsInProcess || served.ownedBy === "tansuo") {
    return;
  }
  try {
    await models.resolve(spec);
  } catch (error) {
    if (error instanceof MissingApiKeyError) throw gatewayErrorOf(error);
    // Any other failure is left to the run, which records it with its own message.
  }
}
