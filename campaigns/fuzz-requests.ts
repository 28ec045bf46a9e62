import fc from "fast-check";

/** One generated request, with what the generator knows about it (the oracle for the answer's status). */
export interface FuzzRequest {
  method: string;
  path: string;
  host: string | undefined;
  /** The Host is not one the gateway answers to. */
  hostForeign: boolean;
  origin: string | undefined;
  fetchSite: string | undefined;
  contentType: string | undefined;
  /** The content type is application/json with a UTF-8 (or no) charset. */
  contentTypeJson: boolean;
  extraHeaders: [string, string][];
  body: Buffer | undefined;
  bodyKind: string;
  framing: "length" | "chunked" | "conflicting";
  /** Bytes that are not valid HTTP/1.1 at all (garbage lines, bad header bytes, unknown methods). */
  malformedHttp: boolean;
}

export interface FuzzTarget {
  port: number;
  /** An origin in the gateway's `server.allowedOrigins`. */
  trustedOrigin: string;
  /** A name in the gateway's `server.allowedHosts`. */
  allowedHostName: string;
  /** An agent the gateway serves. */
  agentName: string;
  /** Bodies past this size are refused with 413. */
  bodyLimitBytes: number;
}

const knownMethods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "PROPFIND", "PURGE", "CONNECT"];
const routes = [
  "/health",
  "/v1/models",
  "/v1/models/deepseek-v4-flash",
  "/v1/models/agent:helper",
  "/v1/chat/completions",
  "/v1/runs",
  "/v1/runs/run_0123456789abcdef",
  "/v1/runs/run_0123456789abcdef/events",
  "/v1/runs/run_0123456789abcdef/approve",
  "/v1/runs/run_0123456789abcdef/cancel",
  "/v1/usage",
  "/",
];
const trickyPaths = [
  "/v1/../health",
  "/%2e%2e/v1/models",
  "//v1//models",
  "/v1/models/..%2f..%2fetc%2fpasswd",
  "/v1/models/%00",
  "/v1\\models",
  "/v1/runs?limit=0",
  "/v1/runs?limit=1e9",
  "/v1/runs?limit=-1",
  "/v1/runs/run_x/events?after=-5",
  "/v1/usage?day=2025-13-45&model=%F0%9F%92%A9",
  "*",
  "http://evil.example/v1/models",
];

const pathArbitrary = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...routes) },
  { weight: 2, arbitrary: fc.constantFrom(...trickyPaths) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...routes), fc.string({ unit: "grapheme", maxLength: 20 }))
      .map(([route, tail]) => `${route}/${encodeURIComponent(tail)}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...routes), fc.string({ maxLength: 30 }))
      .map(([route, query]) => `${route}?${encodeURIComponent(query)}=${encodeURIComponent(query)}`),
  },
);

const validMessages = [{ role: "user", content: "Hello" }];
const weirdValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(0, -1, 1.5, 1e308, -1e308, 2 ** 53, Number.MAX_SAFE_INTEGER + 2),
  fc.string({ maxLength: 20 }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.object({ maxDepth: 2 }),
);
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 3 });

/** Chat-completion bodies: mostly right in shape, with fields of the wrong type, range or size. */
const chatBody = fc
  .record(
    {
      model: fc.oneof(fc.constantFrom("deepseek-v4-flash", "deepseek-chat", "agent:helper", "nope", ""), weirdValue),
      messages: fc.oneof(
        { weight: 4, arbitrary: fc.constant(validMessages) },
        {
          weight: 3,
          arbitrary: fc.array(
            fc.record({
              role: fc.oneof(fc.constantFrom("user", "system", "assistant", "tool", "developer", "root"), weirdValue),
              content: fc.oneof(fc.string({ maxLength: 40 }), weirdValue),
            }),
            { maxLength: 4 },
          ),
        },
        { weight: 1, arbitrary: weirdValue },
      ),
      stream: maybe(fc.oneof(fc.boolean(), weirdValue)),
      max_tokens: maybe(fc.oneof(fc.integer({ min: -10, max: 500_000 }), weirdValue)),
      max_completion_tokens: maybe(fc.oneof(fc.constantFrom(1, 384_000, 384_001, 1e12), weirdValue)),
      temperature: maybe(fc.oneof(fc.double(), weirdValue)),
      n: maybe(fc.oneof(fc.integer({ min: -1, max: 3 }), weirdValue)),
      stop: maybe(fc.oneof(fc.array(fc.string({ maxLength: 5 }), { maxLength: 20 }), weirdValue)),
      tools: maybe(
        fc.oneof(
          fc.array(
            fc.record({
              type: fc.oneof(fc.constant("function"), weirdValue),
              function: fc.record({
                name: fc.oneof(fc.constantFrom("lookup", "bad name!", "x".repeat(65)), weirdValue),
                parameters: maybe(fc.oneof(fc.object({ maxDepth: 4 }), weirdValue)),
              }),
            }),
            { maxLength: 3 },
          ),
          weirdValue,
        ),
      ),
      response_format: maybe(
        fc.oneof(
          fc.constant({ type: "json_object" }),
          fc.record({
            type: fc.constant("json_schema"),
            json_schema: fc.oneof(fc.object({ maxDepth: 3 }), weirdValue),
          }),
          weirdValue,
        ),
      ),
      stream_options: maybe(fc.oneof(fc.record({ include_usage: fc.oneof(fc.boolean(), weirdValue) }), weirdValue)),
    },
    { requiredKeys: [] },
  )
  .map((body) => JSON.stringify(body));

const runBody = fc
  .record(
    {
      agent: fc.oneof(fc.constantFrom("helper", "missing"), weirdValue),
      model: maybe(fc.oneof(fc.constantFrom("agent:helper", "deepseek-v4-flash"), weirdValue)),
      task: fc.oneof(fc.string({ maxLength: 30 }), weirdValue),
      budget_usd: maybe(fc.oneof(fc.constantFrom("0.01", "-1", "1e308", "abc", 0, 1e308), weirdValue)),
      approve: maybe(weirdValue),
      always: maybe(weirdValue),
    },
    { requiredKeys: [] },
  )
  .map((body) => JSON.stringify(body));

const deepNesting = fc
  .tuple(fc.integer({ min: 65, max: 20_000 }), fc.constantFrom("array", "object", "tool-schema", "json-schema"))
  .map(([depth, shape]) => {
    if (shape === "array") return "[".repeat(depth) + "]".repeat(depth);
    if (shape === "object") return '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
    const schema = '{"type":"object","properties":{"x":'.repeat(depth) + '{"type":"string"}' + "}}".repeat(depth);
    return shape === "tool-schema"
      ? `{"model":"deepseek-v4-flash","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":${schema}}}]}`
      : `{"model":"deepseek-v4-flash","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"s","schema":${schema}}}}`;
  });

/** Chat bodies the gateway must answer 200: valid fields within their limits, streamed or not. */
const validChat = fc
  .record({
    content: fc.string({ unit: "grapheme", minLength: 1, maxLength: 60 }),
    stream: fc.boolean(),
    max_tokens: fc.option(fc.integer({ min: 1, max: 384_000 }), { nil: undefined }),
    temperature: fc.option(fc.double({ min: 0, max: 2, noNaN: true }), { nil: undefined }),
  })
  .map(({ content, ...fields }) =>
    JSON.stringify({ model: "deepseek-v4-flash", messages: [{ role: "user", content }], ...fields }),
  );

const invalidUtf8Sequences = [[0xff], [0x80], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80], [0xe2, 0x82]];

/** A body of the given kind, as bytes; the kind names it in the report. */
const bodyArbitrary: fc.Arbitrary<{ kind: string; bytes: Buffer }> = fc.oneof(
  { weight: 4, arbitrary: chatBody.map((text) => ({ kind: "chat-shaped", bytes: Buffer.from(text) })) },
  { weight: 2, arbitrary: runBody.map((text) => ({ kind: "run-shaped", bytes: Buffer.from(text) })) },
  { weight: 2, arbitrary: fc.json({ maxDepth: 5 }).map((text) => ({ kind: "random-json", bytes: Buffer.from(text) })) },
  { weight: 2, arbitrary: deepNesting.map((text) => ({ kind: "deep-nesting", bytes: Buffer.from(text) })) },
  {
    weight: 2,
    arbitrary: fc.tuple(chatBody, fc.nat(), fc.constantFrom(...invalidUtf8Sequences)).map(([text, at, sequence]) => {
      const bytes = Buffer.from(text);
      const cut = at % (bytes.length + 1);
      return {
        kind: "invalid-utf8",
        bytes: Buffer.concat([bytes.subarray(0, cut), Buffer.from(sequence), bytes.subarray(cut)]),
      };
    }),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(chatBody, fc.nat()).map(([text, at]) => ({
      kind: "truncated-json",
      bytes: Buffer.from(text.slice(0, at % Math.max(1, text.length))),
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom("1e999", "-0", "123456789012345678901234567890", "NaN", "Infinity", '"\\ud800"', "{}", "[]", "null")
      .map((value) => ({
        kind: "odd-numbers",
        bytes: Buffer.from(
          `{"model":"deepseek-v4-flash","messages":[{"role":"user","content":"hi"}],"max_tokens":${value},"temperature":${value}}`,
        ),
      })),
  },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ maxLength: 600 }).map((bytes) => ({ kind: "random-bytes", bytes: Buffer.from(bytes) })),
  },
  // Sized to the target's limit when the request is built.
  { weight: 1, arbitrary: fc.constant({ kind: "too-large", bytes: Buffer.alloc(0) }) },
  { weight: 1, arbitrary: validChat.map((text) => ({ kind: "valid-chat", bytes: Buffer.from(text) })) },
  {
    weight: 1,
    arbitrary: fc
      .string({ minLength: 1, maxLength: 40 })
      .map((task) => ({ kind: "valid-run", bytes: Buffer.from(JSON.stringify({ agent: "helper", task })) })),
  },
);

const contentTypes: [string | undefined, boolean][] = [
  ["application/json", true],
  ["application/json; charset=utf-8", true],
  ["APPLICATION/JSON;charset=UTF-8", true],
  [undefined, false],
  ["text/plain", false],
  ["text/plain;charset=UTF-8", false],
  ["application/x-www-form-urlencoded", false],
  ["multipart/form-data; boundary=----x", false],
  ["application/json; charset=latin1", false],
  ["application/jsonp", false],
  ["", false],
];

/** Every request the campaign may send to a gateway with the given address and configuration. */
export function fuzzRequestArbitrary(target: FuzzTarget): fc.Arbitrary<FuzzRequest> {
  const own = `127.0.0.1:${target.port}`;
  const hosts: fc.Arbitrary<[string | undefined, boolean]> = fc.oneof(
    { weight: 8, arbitrary: fc.constant<[string, boolean]>([own, false]) },
    {
      weight: 2,
      arbitrary: fc.constantFrom<[string | undefined, boolean]>(
        [`localhost:${target.port}`, false],
        [`[::1]:${target.port}`, false],
        [target.allowedHostName, false],
        ["evil.example", true],
        [`evil.example:${target.port}`, true],
        [`127.0.0.1:${target.port + 1}`, true],
        ["127.0.0.1", true],
        [`localhost.evil.example:${target.port}`, true],
        [undefined, true],
        ["", true],
        ["a b", true],
      ),
    },
    {
      weight: 1,
      arbitrary: fc.stringMatching(/^[a-z0-9-]{1,12}$/).map<[string, boolean]>((name) => [`h${name}.example`, true]),
    },
  );
  const origins = fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        target.trustedOrigin,
        `http://${own}`,
        "https://evil.example",
        "null",
        `http://localhost:${target.port}`,
        `${target.trustedOrigin}.evil.example`,
      ),
    },
    { weight: 1, arbitrary: fc.webUrl().map((url) => new URL(url).origin) },
  );
  const extraHeader = fc.oneof(
    fc.tuple(fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/), fc.stringMatching(/^[ -~]{0,40}$/)),
    fc.constantFrom<[string, string]>(
      ["authorization", "Bearer tsk_nothing"],
      ["last-event-id", "-3"],
      ["access-control-request-method", "POST"],
      ["access-control-request-headers", "authorization, content-type, x-stainless-os"],
      ["expect", "100-continue"],
      ["expect", "200-ok"],
      ["x-forwarded-host", "evil.example"],
    ),
  );
  const wild = fc.record({
    method: fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom(...knownMethods) },
      { weight: 1, arbitrary: fc.stringMatching(/^[A-Z]{1,8}$/) },
    ),
    path: pathArbitrary,
    host: hosts,
    origin: origins,
    fetchSite: fc.option(fc.constantFrom("cross-site", "same-site", "same-origin", "none"), {
      nil: undefined,
      freq: 4,
    }),
    contentType: fc.constantFrom(...contentTypes),
    extraHeaders: fc.array(extraHeader, { maxLength: 3 }),
    body: fc.option(bodyArbitrary, { nil: undefined, freq: 5 }),
    framing: fc.constantFrom<FuzzRequest["framing"]>("length", "length", "length", "chunked", "conflicting"),
    badHeaderByte: fc.integer({ min: 0, max: 19 }).map((draw) => draw === 0),
  });
  // Requests that pass the Host, Origin and content-type checks, so their bodies reach the routes.
  const plausible = fc.record({
    method: fc.constant("POST"),
    path: fc.constantFrom(
      "/v1/chat/completions",
      "/v1/chat/completions",
      "/v1/runs",
      "/v1/runs/run_0123456789abcdef/approve",
    ),
    host: fc.constant<[string | undefined, boolean]>([own, false]),
    origin: fc.constantFrom(undefined, target.trustedOrigin, `http://${own}`),
    fetchSite: fc.constant(undefined),
    contentType: fc.constantFrom(...contentTypes.filter(([, json]) => json)),
    extraHeaders: fc.constant<[string, string][]>([]),
    body: bodyArbitrary,
    framing: fc.constantFrom<FuzzRequest["framing"]>("length", "length", "chunked"),
    badHeaderByte: fc.constant(false),
  });
  return fc.oneof(wild, plausible).map((generated) => {
    const body =
      generated.body?.kind === "too-large"
        ? { kind: "too-large", bytes: Buffer.alloc(target.bodyLimitBytes + 1, "a") }
        : generated.body;
    // Requests Node or @hono/node-server refuse before the gateway's checks: any 4xx is right for them.
    const refusedByParser =
      !nodeMethods.has(generated.method) ||
      generated.method === "CONNECT" ||
      generated.path === "*" ||
      generated.path.includes("\\") ||
      unmetExpectation(generated.extraHeaders);
    return {
      method: generated.method,
      path: generated.path,
      host: generated.host[0],
      // An absolute request target names the host the request is for, whatever the Host header says.
      hostForeign: generated.host[1] || generated.path.startsWith("http://evil.example"),
      origin: generated.origin,
      fetchSite: generated.fetchSite,
      contentType: generated.contentType[0],
      contentTypeJson: generated.contentType[1],
      extraHeaders: generated.badHeaderByte
        ? [...generated.extraHeaders, ["x-bad", "value\u0001with a control byte"] as [string, string]]
        : generated.extraHeaders,
      body: body?.bytes,
      bodyKind: body?.kind ?? "none",
      framing: body ? generated.framing : "length",
      malformedHttp:
        refusedByParser || generated.badHeaderByte || (body !== undefined && generated.framing === "conflicting"),
    };
  });
}

/** Node refuses an `Expect` with 417 unless one of the values (it joins repeated headers) is 100-continue. */
const unmetExpectation = (headers: [string, string][]) => {
  const expectations = headers.filter(([name]) => name.toLowerCase() === "expect").map(([, value]) => value);
  return expectations.length > 0 && !expectations.includes("100-continue");
};

/** Methods Node's HTTP parser accepts (it refuses others before the gateway sees them). */
const nodeMethods = new Set(
  "ACL BIND CHECKOUT CONNECT COPY DELETE GET HEAD LINK LOCK M-SEARCH MERGE MKACTIVITY MKCALENDAR MKCOL MOVE NOTIFY OPTIONS PATCH POST PROPFIND PROPPATCH PURGE PUT QUERY REBIND REPORT SEARCH SOURCE SUBSCRIBE TRACE UNBIND UNLINK UNLOCK UNSUBSCRIBE".split(
    " ",
  ),
);

/** The request as bytes on the wire: exactly what was generated, framed as chosen. */
export function requestBytes(request: FuzzRequest): Buffer {
  const lines = [`${request.method} ${request.path} HTTP/1.1`];
  if (request.host !== undefined) lines.push(`Host: ${request.host}`);
  if (request.origin !== undefined) lines.push(`Origin: ${request.origin}`);
  if (request.fetchSite !== undefined) lines.push(`Sec-Fetch-Site: ${request.fetchSite}`);
  if (request.contentType !== undefined && request.body !== undefined)
    lines.push(`Content-Type: ${request.contentType}`);
  for (const [name, value] of request.extraHeaders) lines.push(`${name}: ${value}`);
  lines.push("Connection: close");
  const body = request.body ?? Buffer.alloc(0);
  if (request.body === undefined) return Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1");
  if (request.framing === "length" || request.framing === "conflicting") lines.push(`Content-Length: ${body.length}`);
  if (request.framing === "length")
    return Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1"), body]);
  lines.push("Transfer-Encoding: chunked");
  const chunks = body.length === 0 ? [] : [Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from("\r\n")];
  return Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1"), ...chunks, Buffer.from("0\r\n\r\n")]);
}
