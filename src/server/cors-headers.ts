/** Request headers a browser client of the OpenAI API sends; a preflight's own list is granted on top. */
const allowedRequestHeaders = ["authorization", "content-type", "last-event-id"];
/** Response headers a page may read: the ones the gateway's clients act on. */
const exposedHeaders = ["retry-after", "location", "x-tansuo-run-id", "x-tansuo-max-tokens"];
const headerListItem = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/** The headers on every answer to a configured origin. */
export function corsHeaders(origin: string): Record<string, string> {
  return {
    "access-control-allow-origin": origin,
    "access-control-expose-headers": exposedHeaders.join(", "),
    vary: "Origin",
  };
}

/** The answer to a configured origin's preflight (OPTIONS with Access-Control-Request-Method). */
export function preflightResponse(origin: string, requestedHeaders: string | undefined): Response {
  const requested = (requestedHeaders ?? "")
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter((name) => headerListItem.test(name));
  return new Response(null, {
    status: 204,
    headers: {
      ...corsHeaders(origin),
      "access-control-allow-methods": "GET, POST, OPTIONS",
      "access-control-allow-headers": [...new Set([...allowedRequestHeaders, ...requested])].join(", "),
      "access-control-max-age": "600",
      vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
    },
  });
}
