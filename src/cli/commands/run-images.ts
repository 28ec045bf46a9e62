import path from "node:path";
import { isEmbeddedSpec } from "../../models/resolve-model.ts";
import type { ResolvedModel } from "../../models/resolved-model.ts";
import { readImageFiles, requireVision } from "../../tools/images/checked-image.ts";
import type { ToolImage } from "../../tools/tool-output.ts";
import type { CliContext } from "../cli-context.ts";

/**
 * The `--image` files, read and checked before the run exists or any call goes out: each must be a PNG, JPEG, WebP
 * or GIF by content and under the size cap, and the model must have `vision` in the catalog.
 */
export async function loadRunImages(
  context: CliContext,
  files: readonly string[],
  model: { spec: string; baseUrl?: string; resolved?: ResolvedModel },
): Promise<ToolImage[]> {
  if (files.length === 0) return [];
  const images = readImageFiles(files.map((file) => path.resolve(context.cwd, file)));
  // A local GGUF model reads no images here; it is refused without loading its weights.
  if (isEmbeddedSpec(model.spec)) {
    requireVision(model.spec, false, images.length);
    return images;
  }
  const resolved = model.resolved ?? (await context.resolveModel(model.spec, { baseUrl: model.baseUrl }));
  try {
    requireVision(resolved.entry.id, resolved.entry.capabilities.vision, images.length);
  } finally {
    if (!model.resolved) await resolved.close();
  }
  return images;
}
