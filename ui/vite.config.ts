import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));

// The viewer builds into the package's dist/ui, which `tansuo serve` and `tansuo ui` serve at `/`.
export default defineConfig({
  root: here,
  base: "/",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: fileURLToPath(new URL("../dist/ui", import.meta.url)),
    emptyOutDir: true,
    assetsDir: "assets",
    // No source maps in the package; no inline assets, so the page's CSP can stay `default-src 'self'`.
    sourcemap: false,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 600,
  },
  logLevel: "warn",
});
