// Loaded into each `tansuo worker` with `node --import` (plain JS: it runs before the CLI sets up tsx). The same
// figures as process-gauge.ts, read from outside: each SIGUSR2 prints `gauge {...}` on stderr for the span since
// the last one (RSS at its start and peak, event-loop delay p99 and max in ms, CPU time), then starts a new span.
import { monitorEventLoopDelay } from "node:perf_hooks";

const megabytes = (bytes) => bytes / 2 ** 20;
let delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
let idle = process.memoryUsage.rss();
let peak = idle;
let cpu = process.cpuUsage();
setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 100).unref();
process.on("SIGUSR2", () => {
  const rss = process.memoryUsage.rss();
  const reading = {
    idleRssMegabytes: megabytes(idle),
    peakRssMegabytes: megabytes(Math.max(peak, rss)),
    eventLoopDelayP99Milliseconds: delay.percentile(99) / 1e6,
    eventLoopDelayMaxMilliseconds: delay.max / 1e6,
    cpuMilliseconds: ((used) => (used.user + used.system) / 1000)(process.cpuUsage(cpu)),
  };
  process.stderr.write(`gauge ${JSON.stringify(reading)}\n`);
  delay.disable();
  delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  idle = rss;
  cpu = process.cpuUsage();
  peak = rss;
});
