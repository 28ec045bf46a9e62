import { monitorEventLoopDelay } from "node:perf_hooks";

/** What a measured process reports: its resident memory while idle and at its peak, and its event-loop delay. */
export interface GaugeReading {
  idleRssMegabytes: number;
  peakRssMegabytes: number;
  eventLoopDelayP99Milliseconds: number;
  eventLoopDelayMaxMilliseconds: number;
  /** CPU time (user + system) the process spent in the span. */
  cpuMilliseconds: number;
}

const megabytes = (bytes: number) => bytes / 2 ** 20;
const cpuMillisecondsSince = (start: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
};

/**
 * Watches this process from `start` to `stop`: the event-loop delay (perf_hooks at 10 ms resolution) and the
 * resident set sampled every 100 ms (reading it costs a system call). `idle` is the RSS when measuring began, after a collection when exposed.
 */
export function startGauge(): { stop: () => GaugeReading } {
  globalThis.gc?.();
  const idle = process.memoryUsage.rss();
  const cpu = process.cpuUsage();
  let peak = idle;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 100);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  return {
    stop() {
      clearInterval(sampler);
      delay.disable();
      peak = Math.max(peak, process.memoryUsage.rss());
      return {
        idleRssMegabytes: megabytes(idle),
        peakRssMegabytes: megabytes(peak),
        eventLoopDelayP99Milliseconds: delay.percentile(99) / 1e6,
        eventLoopDelayMaxMilliseconds: delay.max / 1e6,
        cpuMilliseconds: cpuMillisecondsSince(cpu),
      };
    },
  };
}
