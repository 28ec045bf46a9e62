import Anthropic from "@anthropic-ai/sdk";
import type { GatewayFixture } from "./gateway-fixture.ts";

/** The official Anthropic client pointed at the gateway (x-api-key), with retries off so each status is seen as sent. */
export const anthropicClient = (fixture: GatewayFixture, apiKey = "local"): Anthropic =>
  new Anthropic({ baseURL: fixture.server.url, apiKey, maxRetries: 0 });
