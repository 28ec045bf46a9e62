import path from "node:path";
import type { Hono } from "hono";
import type { GatewayEnv } from "../gateway-env.ts";
import { NotFoundError } from "../gateway-errors.ts";
import { contentTypeOf, fileInside, readViewerFile } from "../viewer-files.ts";

const notBuilt = "The viewer is not built: run `npm run build` in the tansuo package, then reload this page.\n";

// The page may load only what this gateway serves: no outside host, no inline script, not framed by others.
const contentSecurityPolicy = "default-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

// A malformed escape (`%E0%A4%A`) names no file.
const decodedPath = (encoded: string): string => {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return "";
  }
};

/**
 * The browser viewer: `/` is its index.html, `/assets/*` its hashed bundles. No key is needed for these files
 * (they hold no data); every request they make goes to /v1 with the caller's key.
 */
export function registerViewerStaticRoutes(app: Hono<GatewayEnv>, viewerDirectory: string): void {
  app.get("/", async (c) => {
    const page = await readViewerFile(path.join(viewerDirectory, "index.html"));
    if (!page) return c.text(notBuilt, 503, { "cache-control": "no-cache" });
    return c.body(page as Uint8Array<ArrayBuffer>, 200, {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-cache",
      "content-security-policy": contentSecurityPolicy,
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    });
  });

  app.get("/assets/*", async (c) => {
    const file = fileInside(path.join(viewerDirectory, "assets"), decodedPath(c.req.path.slice("/assets/".length)));
    const bytes = file && (await readViewerFile(file));
    if (!file || !bytes) {
      throw new NotFoundError(`No viewer file ${c.req.path}. Rebuild the viewer with \`npm run build\`.`, {
        code: "unknown_route",
      });
    }
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      "content-type": contentTypeOf(file),
      // Vite names each bundle by its content hash, so a name never changes meaning.
      "cache-control": "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
    });
  });
}
