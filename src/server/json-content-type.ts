import { UnsupportedMediaTypeError } from "./gateway-errors.ts";

/**
 * Refuses a body not declared as `application/json` (UTF-8, the only charset JSON has). A browser can send
 * text/plain or a form across sites without asking; requiring JSON keeps such requests from doing anything.
 */
export function checkJsonContentType(contentType: string | undefined): void {
  const [mediaType = "", ...parameters] = (contentType ?? "").split(";");
  const type = mediaType.trim().toLowerCase();
  if (type !== "application/json") {
    throw new UnsupportedMediaTypeError(
      `${contentType === undefined ? "The body has no Content-Type" : `The body's Content-Type is "${contentType.slice(0, 100)}"`}; ` +
        "this API reads JSON only. Nothing was done: send the body with `Content-Type: application/json`.",
    );
  }
  for (const parameter of parameters) {
    const [name = "", value = ""] = parameter.split("=");
    if (name.trim().toLowerCase() !== "charset") continue;
    const charset = value.trim().replace(/^"|"$/g, "").toLowerCase();
    if (charset !== "utf-8" && charset !== "utf8") {
      throw new UnsupportedMediaTypeError(
        `The body's charset is "${charset.slice(0, 40)}"; JSON bodies must be UTF-8. Nothing was done: ` +
          "send UTF-8 with `Content-Type: application/json` (or `; charset=utf-8`).",
      );
    }
  }
}
