import { z } from "zod";
import type { StoredResponse } from "../../store/response-records.ts";
import type { Store } from "../../store/store.ts";
import type { Caller } from "../gateway-env.ts";
import { NotFoundError } from "../gateway-errors.ts";
import type { ResponseObject } from "./response-object.ts";
import { type ResponsesInputItem, responsesInputItemSchema } from "./responses-request-schema.ts";

const storedItems = z.array(responsesInputItemSchema);

/** Far beyond any real conversation; stops a walk that could only be a corrupted store. */
const maximumChainLength = 10_000;

/**
 * Stored Responses API conversations (`previous_response_id`): each answer is kept with its request's input items,
 * and a later request gets the whole chain back, oldest first. A response is only visible to the key that made it.
 * A streamed answer is saved as its last event goes out; a request naming it waits for that save in this process.
 */
export class ResponseChains {
  private readonly saving = new Map<string, Promise<void>>();

  constructor(private readonly store: Store) {}

  /** The items of the chain ending at `id`, oldest first; 404 in OpenAI's shape when the caller cannot see it. */
  async history(caller: Caller, id: string): Promise<ResponsesInputItem[]> {
    const chain: StoredResponse[] = [];
    let next: string | undefined = id;
    while (next !== undefined && chain.length < maximumChainLength) {
      await this.saving.get(next);
      const found = await this.store.getResponse(next);
      if (!found || found.ownerKeyId !== caller.key?.id) {
        throw new NotFoundError(
          `Previous response with id '${id}' not found. A response is kept only when it was made with \`store\` ` +
            "left on, and only the API key that made it can continue it.",
          { code: "previous_response_not_found", param: "previous_response_id" },
        );
      }
      chain.push(found);
      next = found.previousResponseId;
    }
    return chain.reverse().flatMap((response) => storedItems.parse([...response.inputItems, ...response.outputItems]));
  }

  /** Keeps a finished response; a failed save is warned about, never the caller's error (its answer is out). */
  keep(caller: Caller, inputItems: readonly ResponsesInputItem[], response: ResponseObject): void {
    const record: StoredResponse = {
      id: response.id,
      ownerKeyId: caller.key?.id,
      previousResponseId: response.previous_response_id ?? undefined,
      model: response.model,
      inputItems: [...inputItems],
      outputItems: [...response.output],
      createdAt: new Date(response.created_at * 1000).toISOString(),
    };
    const saved = this.store
      .saveResponse(record)
      .catch((error: unknown) =>
        process.emitWarning(
          `Response ${response.id} could not be stored, so previous_response_id cannot name it: ${error instanceof Error ? error.message : error}`,
        ),
      )
      .finally(() => this.saving.delete(response.id));
    this.saving.set(response.id, saved);
  }

  /** Waits for a response's save (a whole answer is only returned once it can be continued). */
  async saved(id: string): Promise<void> {
    await this.saving.get(id);
  }
}
