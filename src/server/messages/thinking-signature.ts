import { createHash } from "node:crypto";

/**
 * The `signature` of a thinking block the gateway answers: a digest of its text, so a client that sends the block
 * back unchanged sends the same signature. It proves no origin (the gateway keeps no secret); incoming signatures
 * are carried, not checked, since the reasoning goes back to the model either way.
 */
export const thinkingSignature = (thinking: string): string =>
  `tansuo-sha256:${createHash("sha256").update(thinking).digest("base64url")}`;
