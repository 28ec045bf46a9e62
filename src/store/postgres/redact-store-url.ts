/** True for a store location that names a PostgreSQL database rather than a SQLite file. */
export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location);

/** A Postgres URL fit to print: the password (and any `password=` parameter) replaced by `***`. */
export function redactStoreUrl(url: string): string {
  return url
    .replace(/^(postgres(?:ql)?:\/\/[^:/?#@]*):[^@/?#]*@/i, "$1:***@")
    .replace(/([?&]password=)[^&#]*/gi, "$1***");
}

/** Any text (a driver's message) with every occurrence of the URL's password replaced by `***`. */
export function redactPassword(text: string, url: string): string {
  let password: string | undefined;
  try {
    password = decodeURIComponent(new URL(url).password) || undefined;
  } catch {}
  const redacted = password ? text.split(password).join("***") : text;
  return redacted.split(url).join(redactStoreUrl(url));
}
