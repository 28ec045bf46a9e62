import { InvalidArgumentError } from "commander";
import { Usd } from "../cost/usd.ts";

export const positiveInteger = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError("expected a whole number above 0");
  return parsed;
};

export const nonNegativeInteger = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError("expected a whole number, 0 or more");
  return parsed;
};

export const usdAmount = (value: string): string => {
  if (!/^\d+(\.\d+)?$/.test(value) || !Usd.isPositive(value)) {
    throw new InvalidArgumentError("expected an amount in USD above 0, such as 5 or 0.50");
  }
  return value;
};

export const oneOf =
  (...allowed: string[]) =>
  (value: string): string => {
    if (!allowed.includes(value)) throw new InvalidArgumentError(`expected one of: ${allowed.join(", ")}`);
    return value;
  };

/** A base URL with no credentials in it: the URL is stored with the run's settings in the database, in plain text. */
export const baseUrlWithoutCredentials = (value: string): string => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError("expected a URL such as https://api.deepseek.com");
  }
  const credentialParameter = [...url.searchParams.keys()].find((name) =>
    /(api_?key|token|secret|password|passwd|credentials?|authorization|^key|^sig|^signature|^auth)$/i.test(name),
  );
  if (url.username || url.password || credentialParameter) {
    throw new InvalidArgumentError(
      `the URL holds a credential (${credentialParameter ? `?${credentialParameter}=` : "user:password@"}), which ` +
        "would be stored in plain text with the run. Pass the URL without it and put the key in the provider's " +
        '"apiKey" in $TANSUO_HOME/config.json or in the provider\'s API key variable (such as DEEPSEEK_API_KEY).',
    );
  }
  return value;
};
