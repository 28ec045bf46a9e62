import { isSecretName } from "./secret-names.ts";

/** The environment for commands the model runs: everything but credentials, which would end up in transcripts. */
export function commandEnvironment(environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(environment).filter(([name]) => !isSecretName(name)));
}
