import type { RawExchange } from "./fuzz-raw-exchange.ts";
import type { FuzzRequest, FuzzTarget } from "./fuzz-requests.ts";

const bodilessMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/** The answer a request must get: its status, or any 4xx; and, by status, the error code its flaw decides. */
export interface Expectation {
  statuses: readonly number[] | "any 4xx" | undefined;
  codes?: Partial<Record<number, string>>;
}

/** Routes that read their body first, so its flaws decide the answer. */
const bodyRoutes = new Set(["/v1/chat/completions", "/v1/runs"]);
const bodyKindExpectations: Record<string, Expectation> = {
  "too-large": { statuses: [413], codes: { 413: "request_too_large" } },
  "invalid-utf8": { statuses: [400], codes: { 400: "invalid_encoding" } },
  "truncated-json": { statuses: [400] },
  "random-bytes": { statuses: [400] },
  // Nested deep enough to be refused; some shapes are too large before their depth is measured.
  "deep-nesting": { statuses: [400, 413], codes: { 400: "nesting_too_deep", 413: "request_too_large" } },
};

/**
 * What a request must get, from what the generator knows about it, checked in the gateway's order: a request
 * the HTTP parser refuses any 4xx; a foreign Host 421 (400 when it is not even a valid host); a foreign origin
 * 403; a body not declared JSON 415; then, on a route that reads its body, what the body's flaw calls for.
 * No statuses when any status below 500 will do.
 */
export function expectation(request: FuzzRequest, target: FuzzTarget): Expectation {
  if (request.malformedHttp) return { statuses: "any 4xx" };
  if (request.hostForeign) return { statuses: [421, 400] };
  const ownOrigin = `http://${request.host}`.toLowerCase();
  const origin = request.origin?.toLowerCase();
  const originForeign =
    origin === undefined ? request.fetchSite === "cross-site" : origin !== target.trustedOrigin && origin !== ownOrigin;
  if (originForeign) return { statuses: [403], codes: { 403: "origin_not_allowed" } };
  const hasBody =
    request.body !== undefined &&
    !bodilessMethods.has(request.method) &&
    (request.framing === "chunked" || request.body.length > 0);
  if (hasBody && !request.contentTypeJson) return { statuses: [415], codes: { 415: "unsupported_media_type" } };
  if (request.method !== "POST" || !bodyRoutes.has(request.path)) return { statuses: undefined };
  if (request.bodyKind === "valid-chat") return { statuses: request.path === "/v1/chat/completions" ? [200] : [400] };
  if (request.bodyKind === "valid-run") return { statuses: request.path === "/v1/runs" ? [201] : [400] };
  return bodyKindExpectations[request.bodyKind] ?? { statuses: undefined };
}

const isStringOrNull = (value: unknown) => value === null || typeof value === "string";

/** What is wrong with an error answer's body, or undefined when it is OpenAI's `{error:{message,type,code,param}}`. */
function errorBodyProblem(body: Buffer, contentType: string | undefined): string | undefined {
  if (!contentType?.startsWith("application/json")) return `content-type is ${contentType ?? "missing"}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return `body is not JSON: ${body.subarray(0, 120).toString("utf8")}`;
  }
  const error = (parsed as { error?: Record<string, unknown> } | null)?.error;
  if (!error || typeof error !== "object") return "no `error` object";
  if (typeof error.message !== "string" || error.message.length === 0) return "error.message is not a non-empty string";
  if (typeof error.type !== "string") return "error.type is not a string";
  if (!isStringOrNull(error.code)) return "error.code is not a string or null";
  if (!isStringOrNull(error.param)) return "error.param is not a string or null";
  return undefined;
}

/** Every broken promise in one exchange; empty when the gateway answered as it should. */
export function problemsOf(request: FuzzRequest, exchange: RawExchange, target: FuzzTarget): string[] {
  const { answer } = exchange;
  if (!answer) return [exchange.timedOut ? "no answer within the time limit" : "the connection closed with no answer"];
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`answered ${answer.status}`);
  const expected = expectation(request, target);
  const { statuses } = expected;
  if (statuses === "any 4xx" && (answer.status < 400 || answer.status > 499)) {
    problems.push(`answered ${answer.status}, expected a 4xx`);
  } else if (Array.isArray(statuses) && !statuses.includes(answer.status)) {
    problems.push(`answered ${answer.status}, expected ${statuses.join(" or ")}`);
  }
  if (answer.status >= 400 && request.method !== "HEAD") {
    const problem = errorBodyProblem(answer.body, answer.headers["content-type"]);
    if (problem) problems.push(`error answer not in OpenAI's format: ${problem}`);
    const code = expected.codes?.[answer.status];
    const actual = problem
      ? undefined
      : (JSON.parse(answer.body.toString("utf8")) as { error: { code: unknown } }).error.code;
    if (!problem && code !== undefined && actual !== code)
      problems.push(`error code ${String(actual)}, expected ${code}`);
  }
  return problems;
}
