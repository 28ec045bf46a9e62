/**
 * One answer of the Responses API kept for `previous_response_id`: the request's own input items and the answer's
 * output items (each as the API's JSON), so a later request can replay the chain before its own input.
 */
export interface StoredResponse {
  /** `resp_...`. */
  id: string;
  /** The key that made it; only that key may read it. Absent for a keyless local caller. */
  ownerKeyId?: string;
  /** The response this one continued, if any: the chain is walked back through it. */
  previousResponseId?: string;
  model: string;
  /** This request's input items only (the chain's earlier items are in the earlier responses). */
  inputItems: unknown[];
  outputItems: unknown[];
  /** ISO time. */
  createdAt: string;
}
