/** A progress bar for model downloads on a terminal; one line per 10% elsewhere. */
export class DownloadProgressView {
  private lastDecile = -1;

  constructor(
    private readonly output: NodeJS.WritableStream,
    private readonly interactive: boolean,
  ) {}

  handler() {
    return (progress: { downloadedBytes: number; totalBytes: number | undefined }) => this.show(progress);
  }

  private show({ downloadedBytes, totalBytes }: { downloadedBytes: number; totalBytes: number | undefined }) {
    const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
    if (!totalBytes) {
      if (this.interactive) this.output.write(`\r\x1b[2KDownloading model: ${megabytes(downloadedBytes)}`);
      return;
    }
    const fraction = Math.min(1, downloadedBytes / totalBytes);
    if (this.interactive) {
      const width = 30;
      const filled = Math.round(fraction * width);
      const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
      this.output.write(
        `\r\x1b[2KDownloading model ${bar} ${(fraction * 100).toFixed(0)}% ${megabytes(downloadedBytes)} / ${megabytes(totalBytes)}`,
      );
      if (fraction >= 1) this.output.write("\n");
      return;
    }
    const decile = Math.floor(fraction * 10);
    if (decile > this.lastDecile) {
      this.lastDecile = decile;
      this.output.write(`Downloading model: ${decile * 10}% of ${megabytes(totalBytes)}\n`);
    }
  }
}
