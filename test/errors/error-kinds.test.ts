import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { APICallError } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { RunStateError } from "../../src/agent/agent-errors.ts";
import { AgentNotConfiguredError, UnknownAgentError } from "../../src/agent/configured-agent.ts";
import { InterruptedAnswerError, UnansweredCallError } from "../../src/agent/model-call.ts";
import { StructuredOutputError } from "../../src/agent/structured-output.ts";
import { CommandInputError, CommandInterruptedError } from "../../src/cli/cli-errors.ts";
import { ConfigError } from "../../src/config/load-settings.ts";
import { errorKindOf } from "../../src/errors/error-kind-of.ts";
import { InternalError } from "../../src/errors/internal-error.ts";
import { TansuoError } from "../../src/errors/tansuo-error.ts";
import { PythonJsonSyntaxError } from "../../src/evals/bfcl/python-json.ts";
import {
  DatasetError,
  EvalUsageError,
  HarnessEnvironmentError,
  ModelUnavailableError,
} from "../../src/evals/eval-errors.ts";
import { DownloadFailure } from "../../src/models/embedded/download-file.ts";
import {
  EmbeddedModelClosedError,
  InvalidModelSpecError,
  ModelChecksumError,
  ModelDownloadError,
  ModelFileNotFoundError,
  ModelLoadError,
  PromptTooLongError,
  ToolInputInvalidError,
} from "../../src/models/embedded/embedded-errors.ts";
import { MissingApiKeyError, UnknownModelError } from "../../src/models/model-errors.ts";
import {
  ProviderConnectionError,
  ProviderMalformedAnswerError,
  ProviderProtocolError,
  ProviderResponseError,
} from "../../src/models/openai-chat/provider-errors.ts";
import { RequestNotSentError } from "../../src/models/unbilled-call.ts";
import { UnprotectedBindError } from "../../src/server/bind-policy.ts";
import {
  AuthenticationError,
  BodyTooLargeError,
  BudgetExceededError,
  GatewayError,
  HostNotAllowedError,
  InvalidRequestError,
  NotFoundError,
  OriginNotAllowedError,
  RateLimitError,
  RunStateConflictError,
  ServerFaultError,
  UnsupportedMediaTypeError,
  UpstreamError,
} from "../../src/server/gateway-errors.ts";
import { UpstreamTimeoutReason } from "../../src/server/upstream-call.ts";
import { ScriptMismatchError } from "../../src/testing/scripted-model.ts";
import { ToolStoppedError } from "../../src/tools/bounded-execution.ts";
import { PatternTooSlowError } from "../../src/tools/files/regex-matcher.ts";
import { ImageInputError } from "../../src/tools/images/image-errors.ts";
import { SandboxUnavailableError } from "../../src/tools/sandbox/sandbox-errors.ts";
import { ToolInputError } from "../../src/tools/tool-errors.ts";
import { ToolRegistryError } from "../../src/tools/tool-registry-errors.ts";

const nothing = { outputBytes: 0, reasoningBytes: 0, deltas: 0 };
const partial = { text: "", toolCalls: [] };

// Each error as it is thrown, the name it reports and who is at fault.
const table: [TansuoError, string, TansuoError["kind"]][] = [
  [new ConfigError("/home/u/.tansuo/config.json", ["budgetUsd: expected a string"]), "ConfigError", "user"],
  [new RunStateError("No run with id r1."), "RunStateError", "user"],
  [new UnknownAgentError("writer", ["coder"]), "UnknownAgentError", "user"],
  [new AgentNotConfiguredError('Agent "coder" names no model'), "AgentNotConfiguredError", "user"],
  [new StructuredOutputError("The answer does not fit the schema", "r1", "{}"), "StructuredOutputError", "model"],
  [new CommandInputError('--at "x" is not a date such as 2025-03-01'), "CommandInputError", "user"],
  [new CommandInterruptedError("eval interrupted."), "CommandInterruptedError", "user"],
  [new UnknownModelError("gpt-9"), "UnknownModelError", "user"],
  [new MissingApiKeyError("deepseek-chat", "DEEPSEEK_API_KEY", "deepseek"), "MissingApiKeyError", "user"],
  [new ProviderResponseError("deepseek", 500, "busy", undefined), "ProviderResponseError", "provider"],
  [
    new ProviderConnectionError("deepseek", "http://127.0.0.1:9", new Error("ECONNREFUSED")),
    "ProviderConnectionError",
    "provider",
  ],
  [new ProviderProtocolError("no [DONE]"), "ProviderProtocolError", "provider"],
  [
    new ProviderMalformedAnswerError("deepseek", "(body)", "not JSON", "<html>"),
    "ProviderMalformedAnswerError",
    "provider",
  ],
  [new RequestNotSentError("deepseek", new RangeError("too deep")), "RequestNotSentError", "internal"],
  [new DownloadFailure("the server answered 404"), "DownloadFailure", "provider"],
  [new PromptTooLongError(5000, 4096, 256), "PromptTooLongError", "user"],
  [new ModelFileNotFoundError("/models/missing.gguf"), "ModelFileNotFoundError", "user"],
  [new InvalidModelSpecError("model.bin"), "InvalidModelSpecError", "user"],
  [new ModelLoadError("/models/broken.gguf", new Error("bad magic"), []), "ModelLoadError", "user"],
  [new ModelDownloadError("https://hf.co/x.gguf", "x.gguf", "/models", "timed out"), "ModelDownloadError", "provider"],
  [new ModelChecksumError("https://hf.co/x.gguf", "aa", "bb"), "ModelChecksumError", "provider"],
  [new ToolInputInvalidError("read_file", "{}", "path: required"), "ToolInputInvalidError", "model"],
  [new EmbeddedModelClosedError("local/tiny"), "EmbeddedModelClosedError", "user"],
  [new ToolInputError('"src" is a folder'), "ToolInputError", "model"],
  [new ToolStoppedError("read_file was stopped"), "ToolStoppedError", "tool"],
  [new PatternTooSlowError("the pattern ran past 2 s"), "PatternTooSlowError", "tool"],
  [new SandboxUnavailableError("bwrap is not installed"), "SandboxUnavailableError", "user"],
  [new ToolRegistryError('Two tools are named "lookup"'), "ToolRegistryError", "user"],
  [new ImageInputError("The image pic.png is not an image Tansuo can send"), "ImageInputError", "user"],
  [new DatasetError("/data/x.jsonl", "holds no records"), "DatasetError", "user"],
  [new EvalUsageError("Unknown suite"), "EvalUsageError", "user"],
  [new ModelUnavailableError("deepseek-chat cannot answer"), "ModelUnavailableError", "provider"],
  [new HarnessEnvironmentError("python3 is missing"), "HarnessEnvironmentError", "user"],
  [new PythonJsonSyntaxError("unexpected end at character 3"), "PythonJsonSyntaxError", "model"],
  [new ScriptMismatchError("the script has no step 2"), "ScriptMismatchError", "user"],
  [new UnprotectedBindError("0.0.0.0"), "UnprotectedBindError", "user"],
  [new UpstreamTimeoutReason("no answer within 60 s"), "TimeoutError", "provider"],
  [new InternalError("resolveEntry ended without an entry"), "InternalError", "internal"],
  [new InvalidRequestError("messages: required"), "InvalidRequestError", "user"],
  [new BodyTooLargeError(1024), "BodyTooLargeError", "user"],
  [new AuthenticationError("No API key", "missing_api_key"), "AuthenticationError", "user"],
  [new BudgetExceededError("Key k1 has spent its budget"), "BudgetExceededError", "user"],
  [new NotFoundError("No model x", { code: "model_not_found" }), "NotFoundError", "user"],
  [new RateLimitError("Too many", { code: "rate_limit_exceeded", retryAfterSeconds: 3 }), "RateLimitError", "user"],
  [new RunStateConflictError("Run r1 waits for nothing"), "RunStateConflictError", "user"],
  [new UpstreamError(400, "deepseek refused", { code: "upstream_rejected" }), "UpstreamError", "provider"],
  [new UpstreamError(502, "Could not reach deepseek", { code: "upstream_unreachable" }), "UpstreamError", "provider"],
  [new ServerFaultError("Tansuo's gateway failed"), "ServerFaultError", "internal"],
  [new HostNotAllowedError("evil.example", ["127.0.0.1:8080"]), "HostNotAllowedError", "user"],
  [new OriginNotAllowedError("https://evil.example"), "OriginNotAllowedError", "user"],
  [new UnsupportedMediaTypeError("Send application/json"), "UnsupportedMediaTypeError", "user"],
  [
    new GatewayError(408, "too slow", { type: "invalid_request_error", code: "request_timeout" }),
    "GatewayError",
    "user",
  ],
  [new GatewayError(503, "closing", { type: "server_error", code: "shutting_down" }), "GatewayError", "internal"],
  // A failed model call is whoever the cause blames; an unclassed throw from a model is the provider's.
  [new UnansweredCallError(new MissingApiKeyError("m", "KEY")), "UnansweredCallError", "user"],
  [new UnansweredCallError(new Error("socket hang up")), "UnansweredCallError", "provider"],
  [new InterruptedAnswerError(new ToolStoppedError("cancelled"), partial, nothing), "InterruptedAnswerError", "tool"],
  [new InterruptedAnswerError(new Error("terminated"), partial, nothing), "InterruptedAnswerError", "provider"],
];

describe("error kinds", () => {
  it.each(table.map(([error, name, kind]) => [name, kind, error] as const))(
    "%s is a TansuoError of kind %s",
    (name, kind, error) => {
      expect(error).toBeInstanceOf(TansuoError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(name);
      expect(error.kind).toBe(kind);
      expect(errorKindOf(error)).toBe(kind);
    },
  );

  it("classes foreign errors: a system error is the user's, an AI SDK call's failure the provider's, the rest internal", () => {
    const inUse = Object.assign(new Error("listen EADDRINUSE: address already in use 127.0.0.1:8080"), {
      code: "EADDRINUSE",
      syscall: "listen",
    });
    expect(errorKindOf(inUse)).toBe("user");
    const refused = new APICallError({ message: "Unauthorized", url: "https://api.openai.com", requestBodyValues: {} });
    expect(errorKindOf(refused)).toBe("provider");
    expect(errorKindOf(new TypeError("Cannot read properties of undefined"))).toBe("internal");
    expect(errorKindOf("a thrown string")).toBe("internal");
  });

  it("leaves no error class in src that extends the plain Error instead of TansuoError", () => {
    const sourceRoot = path.resolve(import.meta.dirname, "../../src");
    const offenders: string[] = [];
    const walk = (folder: string) => {
      for (const name of readdirSync(folder)) {
        const full = path.join(folder, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (name.endsWith(".ts") && !name.endsWith(".test.ts")) {
          const source = readFileSync(full, "utf8");
          for (const match of source.matchAll(/class (\w+) extends Error\b/g)) {
            if (match[1] !== "TansuoError") offenders.push(`${path.relative(sourceRoot, full)}: ${match[1]}`);
          }
        }
      }
    };
    walk(sourceRoot);
    expect(offenders).toEqual([]);
  });
});
