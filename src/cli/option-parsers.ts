import { InvalidArgumentError } from "commander";

export const positiveInteger = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError("expected a whole number above 0");
  return parsed;
};

export const usdAmount = (value: string): string => {
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) {
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
