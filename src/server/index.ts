export { activeKeyCount, hashApiKey, type IssuedApiKey, issueApiKey, type NewApiKeyOptions } from "./api-keys.ts";
export { isLoopbackHost, UnprotectedBindError } from "./bind-policy.ts";
export { createGateway, type Gateway, type GatewayOptions } from "./create-gateway.ts";
export type { EvalResultsSource, EvalRunSummary } from "./eval-results-source.ts";
export { type RunningServer, type StartServerOptions, startServer } from "./start-server.ts";
