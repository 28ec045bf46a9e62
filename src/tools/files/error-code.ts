/** The errno code of a failed fs call ("ENOENT"), or "" for anything else. */
export const errorCode = (error: unknown): string =>
  typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
