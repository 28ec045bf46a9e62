/** The outcome of one BFCL check, with BFCL's error text and error type. */
export interface CheckResult {
  valid: boolean;
  errors: string[];
  errorType?: string;
}

export const valid = (): CheckResult => ({ valid: true, errors: [] });
export const invalid = (errorType: string, error: string): CheckResult => ({
  valid: false,
  errors: [error],
  errorType,
});
