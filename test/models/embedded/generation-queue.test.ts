import { describe, expect, it } from "vitest";
import { GenerationQueue } from "../../../src/models/embedded/generation-queue.ts";

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
};

describe("GenerationQueue", () => {
  it("runs tasks one at a time, in order", async () => {
    const queue = new GenerationQueue();
    const events: string[] = [];
    const first = deferred();
    const one = queue.run(undefined, async () => {
      events.push("one starts");
      await first.promise;
      events.push("one ends");
    });
    const two = queue.run(undefined, async () => {
      events.push("two runs");
    });
    await Promise.resolve();
    expect(events).toEqual(["one starts"]);
    first.resolve();
    await Promise.all([one, two]);
    expect(events).toEqual(["one starts", "one ends", "two runs"]);
  });

  it("rejects a waiting task when its signal aborts, without letting the next one overtake the running one", async () => {
    const queue = new GenerationQueue();
    const events: string[] = [];
    const first = deferred();
    const one = queue.run(undefined, async () => {
      await first.promise;
      events.push("one ends");
    });
    const controller = new AbortController();
    const aborted = queue.run(controller.signal, async () => {
      events.push("aborted task ran");
    });
    const three = queue.run(undefined, async () => {
      events.push("three runs");
    });
    controller.abort(new Error("stop"));
    await expect(aborted).rejects.toThrow("stop");
    expect(events).toEqual([]);
    first.resolve();
    await Promise.all([one, three]);
    expect(events).toEqual(["one ends", "three runs"]);
  });
});
