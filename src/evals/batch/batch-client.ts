/** One request of a batch: the body the SDK built for the provider's synchronous endpoint. */
export interface BatchRequestLine {
  customId: string;
  body: unknown;
}

/** Where a batch stands at one poll. */
export interface BatchStatus {
  status: string;
  ended: boolean;
  /** "done/total" when the provider counts, else "". */
  counts: string;
}

/** A result: the provider's answer body (parsed by the SDK as a synchronous answer), or why there is none. */
export type BatchResult = { body: unknown } | { error: string };

/** One provider's batch API, as the batch runner uses it. */
export interface BatchClient {
  /** The synchronous endpoint's path ending the SDK's requests must have (a batch takes only those). */
  readonly endpointSuffix: string;
  /** An empty answer of that endpoint, given to the SDK when its request is only being captured. */
  readonly emptyAnswer: unknown;
  /** Sends the requests as one batch; returns its id. */
  send(requests: readonly BatchRequestLine[]): Promise<string>;
  poll(batchId: string): Promise<BatchStatus>;
  /** The results of an ended batch, by custom id. */
  results(batchId: string): Promise<Map<string, BatchResult>>;
}
