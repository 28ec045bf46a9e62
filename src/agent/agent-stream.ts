/** A single-reader async queue: the run pushes events as they happen, the reader takes them in order. */
export class EventQueue<Item> implements AsyncIterable<Item> {
  private readonly items: Item[] = [];
  private readonly readers: { resolve: (result: IteratorResult<Item>) => void; reject: (error: unknown) => void }[] =
    [];
  private ended = false;
  private failure: { error: unknown } | undefined;

  push(item: Item): void {
    if (this.ended) return;
    const reader = this.readers.shift();
    if (reader) reader.resolve({ value: item, done: false });
    else this.items.push(item);
  }

  /** No more items; with an error, the reader gets it after the items already queued. */
  end(error?: { error: unknown }): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    for (const reader of this.readers.splice(0)) {
      if (error) reader.reject(error.error);
      else reader.resolve({ value: undefined, done: true });
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Item> {
    return {
      next: () => {
        const item = this.items.shift();
        if (item !== undefined) return Promise.resolve({ value: item, done: false });
        if (this.ended) {
          return this.failure ? Promise.reject(this.failure.error) : Promise.resolve({ value: undefined, done: true });
        }
        return new Promise((resolve, reject) => this.readers.push({ resolve, reject }));
      },
    };
  }
}
