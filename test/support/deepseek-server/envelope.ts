import { randomUUID } from "node:crypto";

/** The fields every completion and chunk of one answer share. */
export interface Envelope {
  id: string;
  created: number;
  model: string;
  systemFingerprint: string;
}

export function newEnvelope(requestedModel: unknown): Envelope {
  return {
    id: randomUUID(),
    created: Math.floor(Date.now() / 1000),
    model: typeof requestedModel === "string" ? requestedModel : "deepseek-chat",
    systemFingerprint: "fp_0000000000_prod0000_fp8_kvcache",
  };
}
