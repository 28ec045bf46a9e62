/**
 * Writes `chat.completion.chunk` JSON for one answer. The envelope (id, created, model) is serialised once and
 * each delta is spliced in, because a stream sends hundreds of chunks that differ only in the delta.
 */
export class ChatCompletionChunks {
  private readonly head: string;

  constructor(id: string, created: number, model: string) {
    this.head = `{"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(model)},"system_fingerprint":null,"choices":[`;
  }

  delta(delta: Record<string, unknown>, finishReason: string | null = null): string {
    return `${this.head}{"index":0,"delta":${JSON.stringify(delta)},"logprobs":null,"finish_reason":${JSON.stringify(finishReason)}}]}`;
  }

  usage(usage: unknown): string {
    return `${this.head}],"usage":${JSON.stringify(usage)}}`;
  }
}
