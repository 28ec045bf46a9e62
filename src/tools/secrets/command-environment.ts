import { isSecretName } from "./secret-names.ts";

/**
 * The environment for commands the model runs: no credential variable by name, and no variable whose value holds a
 * known secret (a key named by a model's `apiKeyEnv` can be called anything), since a command can print it in
 * pieces that redaction cannot recognise.
 */
export function commandEnvironment(
  environment: NodeJS.ProcessEnv,
  secrets: readonly string[] = [],
  secretVariables: readonly string[] = [],
): NodeJS.ProcessEnv {
  const named = new Set(secretVariables);
  return Object.fromEntries(
    Object.entries(environment).filter(
      ([name, value]) =>
        !isSecretName(name) && !named.has(name) && !secrets.some((secret) => !!value && value.includes(secret)),
    ),
  );
}
