// Names that hold credentials by convention: DEEPSEEK_API_KEY, GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY, PGPASSWORD...
const secretName = /(API_?KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?)(_|$)/i;

// Config fields that hold a credential: apiKey, token, clientSecret, password, authorization...
const secretField = /(api_?key|token|secret|password|passwd|credentials?|authorization)$/i;

// Shapes of keys whatever field they sit in: sk-..., ghp_..., hf_..., xoxb-..., a UUID (Volcano Ark), or a long
// token without the hyphens and dots that model names have.
const keyPrefix = /^(sk|pk|rk|ak|ghp|gho|ghs|ghu|github_pat|hf|xox[abprs]|glpat|npm|AKIA)[-_]?[A-Za-z0-9]/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const longToken = /^[A-Za-z0-9_]{32,}$/;

/** True for an environment variable whose value is a credential by its name. */
export const isSecretName = (name: string): boolean => secretName.test(name);

/** True for a config field whose value is a credential by its name (`apiKeyEnv` names a variable, so it is not). */
export const isSecretField = (name: string): boolean => secretField.test(name);

/** True for a value shaped like an API key, whatever it is called. */
export function looksLikeKey(value: string): boolean {
  if (value.length < 16 || /\s/.test(value)) return false;
  if (keyPrefix.test(value) || uuid.test(value)) return true;
  return longToken.test(value) && /[0-9].*[0-9]/.test(value) && /[A-Za-z].*[A-Za-z]/.test(value);
}

// Shorter values would redact ordinary words and numbers from every output.
export const minimumSecretLength = 8;
