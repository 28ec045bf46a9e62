import { Agent, request } from "node:http";

export interface LoadResult {
  /** Milliseconds from sending the request to the end of the streamed answer, one per request. */
  latencies: number[];
  elapsedMilliseconds: number;
  /** A whole answer body, to check that the stream was complete. */
  sample: string;
}

export interface LoadTarget {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** One request, read to the end; rejects on a non-200 status. */
function streamOnce(agent: Agent, target: LoadTarget, keep: boolean): Promise<{ milliseconds: number; text: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const outgoing = request(target.url, { method: "POST", agent, headers: target.headers }, (response) => {
      let text = "";
      if (response.statusCode !== 200 || keep) response.setEncoding("utf8");
      response.on("data", (chunk: string | Buffer) => {
        if (response.statusCode !== 200 || keep) text += chunk;
      });
      response.on("end", () => {
        if (response.statusCode !== 200) reject(new Error(`status ${response.statusCode}: ${text}`));
        else resolve({ milliseconds: performance.now() - started, text });
      });
      response.on("error", reject);
    });
    outgoing.on("error", reject);
    outgoing.end(target.body);
  });
}

/** `count` streaming requests from `concurrency` clients, each starting its next request when one ends. */
export async function streamingLoad(target: LoadTarget, concurrency: number, count: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let next = 0;
  let sample = "";
  const started = performance.now();
  const client = async () => {
    while (next < count) {
      const index = next++;
      const { milliseconds, text } = await streamOnce(agent, target, index === 0);
      if (index === 0) sample = text;
      latencies.push(milliseconds);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const elapsedMilliseconds = performance.now() - started;
  agent.destroy();
  return { latencies, elapsedMilliseconds, sample };
}

export function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * (sorted.length - 1)))] ?? Number.NaN;
}
