import { Agent, request } from "node:http";
import { distinctFailures, type ModeResult } from "./mode-result.ts";
import { startGauge } from "./process-gauge.ts";

const agent = new Agent({ keepAlive: true });

/** One streaming chat call, read to its end, as the provider sends it; resolves with the HTTP status. */
function chatCall(modelUrl: string, messages: unknown[]): Promise<number> {
  const body = JSON.stringify({
    model: "deepseek-chat",
    messages,
    stream: true,
    stream_options: { include_usage: true },
  });
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${modelUrl}/chat/completions`,
      { method: "POST", agent, headers: { "content-type": "application/json", authorization: "Bearer sk-bench" } },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/**
 * The floor: `runs` bare pairs of chat calls started at once from this process (the second call of a pair after the
 * first, with a tool message, as a run's loop makes them), no runtime and no store; the same server, the same gauge.
 */
export async function measureHttpBaseline(options: {
  runs: number;
  modelUrl: string;
  countCalls: () => Promise<number>;
}): Promise<ModeResult> {
  const task = { role: "user", content: "Read note.txt and say done." };
  const toolTurn = [
    task,
    {
      role: "assistant",
      content: "",
      tool_calls: [{ id: "call_0", type: "function", function: { name: "read_file", arguments: "{}" } }],
    },
    { role: "tool", tool_call_id: "call_0", content: "The answer is 42." },
  ];
  const pair = async () =>
    (await chatCall(options.modelUrl, [task])) === 200 && (await chatCall(options.modelUrl, toolTurn)) === 200;
  await pair();
  await options.countCalls();
  const gauge = startGauge();
  const started = performance.now();
  const ended = await Promise.all(Array.from({ length: options.runs }, pair));
  const totalMilliseconds = performance.now() - started;
  const reading = gauge.stop();
  return {
    mode: "baseline: bare HTTP call pairs",
    runs: options.runs,
    succeeded: ended.filter(Boolean).length,
    modelCalls: await options.countCalls(),
    totalMilliseconds,
    gauges: [reading],
    layout: `1 process x ${options.runs}`,
    failures: distinctFailures(ended.filter((succeeded) => !succeeded).map(() => "a call did not answer 200")),
  };
}
