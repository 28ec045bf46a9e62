interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/** The parts of a V8 `.cpuprofile` that self time needs. */
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

// Folders that name a module well enough: a package, a source file, or Node's own internals.
const moduleOf = (url: string): string => {
  if (url === "") return "(native or idle)";
  const nodeModule = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (nodeModule) return nodeModule[1]!;
  const source = url.match(/\/(src\/.*|bench\/.*)$/);
  if (source) return source[1]!;
  return url.startsWith("node:") ? url.replace(/^node:internal\/([^/]+).*$/, "node:$1") : url;
};

const table = (title: string, totals: Map<string, number>, all: number, rows: number): string =>
  `\n${title}\n` +
  [...totals.entries()]
    .sort((left, right) => right[1] - left[1])
    .slice(0, rows)
    .map(
      ([name, micro]) =>
        `${((micro / all) * 100).toFixed(1).padStart(5)}%  ${(micro / 1000).toFixed(0).padStart(6)} ms  ${name}`,
    )
    .join("\n") +
  "\n";

/**
 * Self time by module and function, and time with each anywhere on the stack, busiest first, as text. Samples are
 * taken on wall-clock ticks: a system call (a socket write) and time descheduled inside it count too.
 */
export function summariseProfile(profile: CpuProfile): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  const onStack = new Map<string, number>();
  const functionOnStack = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, index) => {
    const node = byId.get(id);
    const micro = profile.timeDeltas[index] ?? 0;
    if (!node || node.callFrame.functionName === "(idle)") return;
    busy += micro;
    const { functionName, url } = node.callFrame;
    const where = moduleOf(url);
    const name = `${functionName || "(anonymous)"} ${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micro);
    byModule.set(where, (byModule.get(where) ?? 0) + micro);
    const seen = new Set<string>();
    const seenFunctions = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame) continue;
      seen.add(moduleOf(frame.url));
      seenFunctions.add(`${frame.functionName || "(anonymous)"} ${moduleOf(frame.url)}`);
    }
    for (const module of seen) onStack.set(module, (onStack.get(module) ?? 0) + micro);
    for (const name of seenFunctions) functionOnStack.set(name, (functionOnStack.get(name) ?? 0) + micro);
  });
  return (
    `busy ${(busy / 1000).toFixed(0)} ms\n` +
    table("self time by module", byModule, busy, 30) +
    table("time with the module on the stack", onStack, busy, 30) +
    table("self time by function", byFunction, busy, 40) +
    table("time with the function on the stack", functionOnStack, busy, 60)
  );
}
