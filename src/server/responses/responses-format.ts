import type { AnswerFormat } from "../answer-format.ts";
import { type ResponseObject, responseObject, responseStatusOf, responsesUsage } from "./response-object.ts";
import { outputItemsOf } from "./response-output-items.ts";
import type { ResponsesRequest } from "./responses-request-schema.ts";
import { responsesStreamWriter } from "./responses-stream-writer.ts";

/**
 * The Responses API: a `response` object, or its typed event stream ending in `response.completed`. `onAnswered`
 * gets each finished response (to keep it for `previous_response_id`); an answer cut short is not kept.
 */
export function responsesFormat(
  request: ResponsesRequest,
  onAnswered: (response: ResponseObject) => void,
): AnswerFormat {
  return {
    idPrefix: "resp_",
    body: (answer) => {
      const { status, incomplete_details } = responseStatusOf(answer.finishReason);
      const response = responseObject(
        { id: answer.id, createdAt: answer.created, model: answer.model, request },
        {
          status,
          output: outputItemsOf(answer.id, answer.content),
          usage: responsesUsage(answer.billed.usage, answer.billed.costUsd),
          incompleteDetails: incomplete_details,
          completedAt: Math.floor(Date.now() / 1000),
        },
      );
      onAnswered(response);
      return response;
    },
    streamWriter: ({ id, created, model }) =>
      responsesStreamWriter({ id, createdAt: created, model, request }, onAnswered),
  };
}
