// Names that hold credentials by convention: DEEPSEEK_API_KEY, GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY, PGPASSWORD...
const secretName = /(API_KEY|APIKEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?)(_|$)/i;

/** The environment for commands the model runs: everything but credentials, which would end up in transcripts. */
export function commandEnvironment(environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(environment).filter(([name]) => !secretName.test(name)));
}

/** Replaces the values of credential variables found in text (a command could still read them from a file). */
export function redactSecrets(text: string, environment: NodeJS.ProcessEnv): string {
  let redacted = text;
  for (const [name, value] of Object.entries(environment)) {
    if (value && value.length >= 8 && secretName.test(name))
      redacted = redacted.split(value).join(`[${name} redacted]`);
  }
  return redacted;
}

/** Every secret value Tansuo knows: credential variables of the environment and API keys in config. */
export function knownSecrets(environment: NodeJS.ProcessEnv, configKeys: readonly (string | undefined)[]): string[] {
  const fromEnvironment = Object.entries(environment)
    .filter(([name, value]) => value && secretName.test(name))
    .map(([, value]) => value as string);
  const values = [...fromEnvironment, ...configKeys].filter((value): value is string => !!value && value.length >= 8);
  return [...new Set(values)];
}
