import { existsSync, readFileSync } from "node:fs";
import { isSecretField, isSecretName, looksLikeKey, minimumSecretLength } from "./secret-names.ts";

/**
 * Every secret value Tansuo knows: credential variables of the environment, the API keys of the settings, and
 * whatever looks like a key in the config files themselves (providers, models, fields added later).
 * Longest first, so a key that contains another is redacted whole.
 */
export function knownSecrets(
  environment: NodeJS.ProcessEnv,
  configKeys: readonly (string | undefined)[],
  configFiles: readonly string[] = [],
): string[] {
  const values: (string | undefined)[] = [...configKeys];
  for (const [name, value] of Object.entries(environment)) {
    if (isSecretName(name)) values.push(value);
    // DEEPSEEK_BASE_URL, OPENAI_BASE_URL...: a password or token inside the URL is as secret as a key.
    else if (value && /_URL$/i.test(name)) values.push(...secretsInUrl(value));
  }
  for (const file of configFiles) values.push(...secretsInConfigFile(file, environment));
  const kept = values.filter((value): value is string => !!value && value.length >= minimumSecretLength);
  return [...new Set(kept)].sort((left, right) => right.length - left.length);
}

function secretsInConfigFile(file: string, environment: NodeJS.ProcessEnv): string[] {
  if (!existsSync(file)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    // loadSettings has already refused a broken file; nothing more can be learnt from it here.
    return [];
  }
  const found: string[] = [];
  const visit = (value: unknown, field: string) => {
    if (typeof value === "string") {
      // `apiKeyEnv` names the variable a model's key is read from, whatever that variable is called.
      if (field === "apiKeyEnv") found.push(environment[value] ?? "");
      else if (isSecretField(field) || looksLikeKey(value)) found.push(value, value.replace(/^(Bearer|Basic)\s+/i, ""));
      else found.push(...secretsInUrl(value));
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, field);
    } else if (value && typeof value === "object") {
      for (const [name, item] of Object.entries(value)) visit(item, name);
    }
  };
  visit(parsed, "");
  return found;
}

/** The password of a URL's userinfo and the values of its credential-named query parameters (?api_key=...). */
export function secretsInUrl(value: string): string[] {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim())) return [];
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return [];
  }
  const found: string[] = [];
  if (url.password) {
    found.push(url.password);
    try {
      found.push(decodeURIComponent(url.password));
    } catch {
      // A stray % that is no escape: the password as written is already kept.
    }
  }
  for (const [name, parameter] of url.searchParams) {
    if (isSecretField(name) || /^(key|sig|signature|auth)$/i.test(name) || looksLikeKey(parameter))
      found.push(parameter);
  }
  return found;
}
