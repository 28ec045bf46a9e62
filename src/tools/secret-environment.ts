// What the rest of Tansuo uses of the secrets module: the details live in secrets/.
export { commandEnvironment } from "./secrets/command-environment.ts";
export { knownSecrets } from "./secrets/known-secrets.ts";
export { redactionMark, redactSecrets, SecretRedactor } from "./secrets/redact-secrets.ts";
