import { describe, expect, it } from "vitest";
import type { StoredResponse } from "../../src/store/response-records.ts";
import type { StoreUnderTest } from "./store-under-test.ts";

const first: StoredResponse = {
  id: "resp_first",
  ownerKeyId: "key_a",
  model: "deepseek-v4-flash",
  inputItems: [{ role: "user", content: "What is the weather in 杭州?" }],
  outputItems: [
    { type: "reasoning", id: "rs_1", summary: [], content: [{ type: "reasoning_text", text: "Call the tool." }] },
    { type: "function_call", id: "fc_1", call_id: "call_1", name: "get_weather", arguments: '{"city":"杭州"}' },
  ],
  createdAt: "2026-12-02T08:00:00.000Z",
};

/** Responses API answers kept for previous_response_id: saved whole, read back by id, kept across a reopen. */
export function storedResponseContract(name: string, open: () => StoreUnderTest) {
  describe(`Stored response contract: ${name}`, () => {
    it("reads back a saved response's items and links exactly, after a reopen", async () => {
      const { store, reopen, cleanup } = open();
      await store.saveResponse(first);
      const second: StoredResponse = {
        id: "resp_second",
        previousResponseId: "resp_first",
        model: "deepseek-v4-flash",
        inputItems: [{ type: "function_call_output", call_id: "call_1", output: "sunny" }],
        outputItems: [{ type: "message", role: "assistant", content: [{ type: "output_text", text: "Sunny." }] }],
        createdAt: "2026-12-02T08:00:01.000Z",
      };
      await store.saveResponse(second);
      const again = reopen();
      expect(await again.getResponse("resp_first")).toEqual(first);
      const read = await again.getResponse("resp_second");
      expect(read).toEqual(second);
      expect(read?.ownerKeyId).toBeUndefined();
      expect(await again.getResponse("resp_unknown")).toBeUndefined();
      cleanup();
    });

    it("keeps the first save of an id, and gives copies the caller cannot change the store through", async () => {
      const { store, cleanup } = open();
      await store.saveResponse(first);
      await store.saveResponse({ ...first, ownerKeyId: "key_b", outputItems: [] });
      const read = await store.getResponse("resp_first");
      expect(read?.ownerKeyId).toBe("key_a");
      read?.outputItems.pop();
      expect((await store.getResponse("resp_first"))?.outputItems).toHaveLength(2);
      cleanup();
    });
  });
}
