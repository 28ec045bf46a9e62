import { openAiErrorBody } from "./error-response.ts";
import type { GatewayError } from "./gateway-errors.ts";
import { anthropicErrorBody } from "./messages/anthropic-error-body.ts";

/** An API's error body for a gateway error: each client reads errors in its own API's shape. */
export type ErrorEnvelope = (error: GatewayError) => unknown;

/** Routes whose clients expect another API's error shape than OpenAI's; one row per API, longest prefix first. */
const envelopesByPath: readonly { pathPrefix: string; envelope: ErrorEnvelope }[] = [
  { pathPrefix: "/v1/messages", envelope: anthropicErrorBody },
];

/** The error envelope for a request path (OpenAI's unless a row above claims the path). */
export function errorEnvelopeFor(path: string): ErrorEnvelope {
  return envelopesByPath.find((row) => path.startsWith(row.pathPrefix))?.envelope ?? openAiErrorBody;
}
