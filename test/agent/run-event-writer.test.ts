import { describe, expect, it } from "vitest";
import { EventBus, type SequencedRunEvent } from "../../src/agent/event-bus.ts";
import { RunEventWriter } from "../../src/agent/run-event-writer.ts";
import { MemoryStore } from "../../src/store/memory-store.ts";

describe("the run event writer", () => {
  it("stores a stream of small deltas as a few rows of at most 4 KB each, in order, with the whole text", async () => {
    const store = new MemoryStore();
    const bus = new EventBus();
    const live: SequencedRunEvent[] = [];
    bus.subscribe("run_a", (event) => live.push(event));
    const writer = new RunEventWriter(store, bus, "run_a");
    writer.emit({ type: "status", status: "running" });
    // 2,000 chunks of 10 characters: 20,000 characters, one row each before batching.
    for (let index = 0; index < 2000; index++) writer.emit({ type: "reasoning-delta", step: 0, text: "abcdefghij" });
    writer.emit({ type: "text-delta", step: 0, text: "Done." });
    writer.emit({ type: "warning", message: "last" });
    await writer.flush();

    const rows = await store.listEvents("run_a");
    const reasoning = rows.filter((row) => row.type === "reasoning-delta");
    expect(reasoning.map((row) => (row.data as { text: string }).text).join("")).toBe("abcdefghij".repeat(2000));
    // 20,000 bytes in rows of at most 4,096 (and at least 4,096 but the last): five rows.
    expect(reasoning).toHaveLength(5);
    for (const row of reasoning) expect((row.data as { text: string }).text.length).toBeLessThanOrEqual(4096);
    expect(rows.map((row) => row.type)).toEqual([
      "status",
      ...reasoning.map(() => "reasoning-delta"),
      "text-delta",
      "warning",
    ]);
    // Watchers get the stored rows with their sequences, so a replay from Last-Event-ID joins up with them.
    expect(live.map((event) => event.sequence)).toEqual(rows.map((row) => row.sequence));
  });

  it("writes a pending delta within 50 ms even when nothing else comes", async () => {
    const store = new MemoryStore();
    const writer = new RunEventWriter(store, new EventBus(), "run_b");
    writer.emit({ type: "text-delta", step: 0, text: "Hel" });
    writer.emit({ type: "text-delta", step: 0, text: "lo" });
    expect(await store.listEvents("run_b")).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 120));
    const rows = await store.listEvents("run_b");
    expect(rows.map((row) => row.data)).toEqual([{ type: "text-delta", step: 0, text: "Hello" }]);
  });

  it("rethrows a failed write at the next flush and writes nothing after it", async () => {
    const store = new MemoryStore();
    store.appendEvents = async () => {
      throw new Error("disk full");
    };
    const writer = new RunEventWriter(store, new EventBus(), "run_c");
    writer.emit({ type: "warning", message: "one" });
    await expect(writer.flush()).rejects.toThrow("disk full");
  });
});
