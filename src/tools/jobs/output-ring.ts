/** The last bytes a job printed (a dev server prints for hours): older output is dropped, and counted. */
export class OutputRing {
  private chunks: Buffer[] = [];
  private size = 0;
  dropped = 0;

  constructor(private readonly capacity: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.capacity && this.chunks.length > 0) {
      const first = this.chunks[0]!;
      const excess = this.size - this.capacity;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
        this.dropped += first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
        this.dropped += excess;
      }
    }
  }

  /** The last `lines` lines kept (a line cut by the ring's edge counts as one). */
  lastLines(lines: number): string {
    const text = Buffer.concat(this.chunks).toString("utf8");
    const all = text.split("\n");
    if (all.at(-1) === "") all.pop();
    return all.slice(-lines).join("\n");
  }
}
