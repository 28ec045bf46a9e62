/** Keeps the first bytes a program prints on each stream and notices when the total passes the cap. */
export class OutputCapture {
  private readonly chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  private total = 0;

  constructor(private readonly limitBytes: number) {}

  /** Records a chunk; false once the total has passed the limit. */
  add(stream: "stdout" | "stderr", chunk: Buffer): boolean {
    const room = this.limitBytes - this.total;
    if (room > 0) this.chunks[stream].push(chunk.subarray(0, room));
    this.total += chunk.length;
    return this.total <= this.limitBytes;
  }

  text(stream: "stdout" | "stderr"): string {
    return Buffer.concat(this.chunks[stream]).toString("utf8");
  }
}
