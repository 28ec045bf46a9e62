import path from "node:path";
import { Command } from "commander";
import type { DownloadedFile } from "../../models/embedded/download-file.ts";
import { findRecommendedModel, recommendedModels } from "../../models/recommended-models.ts";
import type { CliContext } from "../cli-context.ts";
import { CommandInputError } from "../cli-errors.ts";
import { DownloadProgressView } from "../render/download-progress-view.ts";
import { writeRecommendedModels } from "./models-recommended.ts";

const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/** `tansuo models pull <name|hf:uri>`: downloads a model into $TANSUO_HOME/models, resuming what arrived before. */
export function createModelsPullCommand(context: CliContext): Command {
  return new Command("pull")
    .description("Download a recommended model (by name) or any hf:<user>/<repo>/<file>.gguf into $TANSUO_HOME/models")
    .argument("[model]", "a name from `tansuo models recommended`, or an hf: URI")
    .action(async (model: string | undefined) => {
      if (!model) {
        writeRecommendedModels(context.stdout, recommendedModels);
        return;
      }
      const recommended = findRecommendedModel(model);
      const uri = recommended?.uri ?? model;
      if (!uri.startsWith("hf:")) {
        throw new CommandInputError(
          `"${model}" is neither a recommended model nor an hf:<user>/<repo>/<file>.gguf URI. ` +
            "See `tansuo models recommended` for the names.",
        );
      }
      const modelsDirectory = path.join(context.homeDirectory, "models");
      const downloaded: DownloadedFile[] = [];
      // Loaded only when pulling, so other commands start without the download code.
      const { resolveModelSource } = await import("../../models/embedded/model-source.ts");
      const modelPath = await resolveModelSource(uri, {
        modelsDirectory,
        downloadBaseUrl: context.env.HF_ENDPOINT || undefined,
        expectedFiles: recommended?.files,
        onProgress: new DownloadProgressView(context.stderr, context.isTerminal).handler(),
        onDownloaded: (files) => downloaded.push(...files),
      });
      if (downloaded.length === 0) {
        context.stdout.write(`Already in ${modelsDirectory}: ${path.basename(modelPath)} (not downloaded again)\n`);
      }
      for (const file of downloaded) {
        const check = file.checked === "sha256" ? "sha256 checked" : "no checksum known; size checked only";
        context.stdout.write(`Downloaded ${file.path} (${megabytes(file.sizeBytes)}, ${check})\n`);
      }
      context.stdout.write(`Run it with: tansuo run --model ${uri} "<task>"\n`);
    });
}
