import type { LanguageModelV3, LanguageModelV3Message } from "@ai-sdk/provider";
import {
  type AgentInputItem,
  type AgentOutputItem,
  type Model,
  type ModelRequest,
  type ModelResponse,
  Usage,
} from "@openai/agents-core";

/**
 * The Agents SDK's `Model` over a LanguageModelV3, so the three loops call the same instant model. It does what
 * an adapter must (the request's items become a prompt, the answer becomes output items) and nothing more.
 */
export class AgentsSdkModel implements Model {
  constructor(private readonly model: LanguageModelV3) {}

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    const result = await this.model.doGenerate({ prompt: promptOf(request) });
    const output: AgentOutputItem[] = [];
    for (const part of result.content) {
      if (part.type === "tool-call") {
        output.push({
          type: "function_call",
          callId: part.toolCallId,
          name: part.toolName,
          arguments: part.input,
          status: "completed",
        });
      } else if (part.type === "text") {
        output.push({
          type: "message",
          role: "assistant",
          status: "completed",
          content: [{ type: "output_text", text: part.text }],
        });
      }
    }
    const inputTokens = result.usage.inputTokens.total ?? 0;
    const outputTokens = result.usage.outputTokens.total ?? 0;
    return {
      output,
      usage: new Usage({ requests: 1, inputTokens, outputTokens, totalTokens: inputTokens + outputTokens }),
    };
  }

  // biome-ignore lint/correctness/useYield: the benchmark only calls `run` without streaming.
  async *getStreamedResponse(): AsyncIterable<never> {
    throw new Error("AgentsSdkModel: streaming is not used by bench/loop");
  }
}

function promptOf(request: ModelRequest): LanguageModelV3Message[] {
  const prompt: LanguageModelV3Message[] = [];
  if (request.systemInstructions) prompt.push({ role: "system", content: request.systemInstructions });
  if (typeof request.input === "string")
    return [...prompt, { role: "user", content: [{ type: "text", text: request.input }] }];
  for (const item of request.input) prompt.push(...messagesOf(item));
  return prompt;
}

function messagesOf(item: AgentInputItem): LanguageModelV3Message[] {
  if (item.type === "function_call") {
    const input = item.arguments;
    return [
      { role: "assistant", content: [{ type: "tool-call", toolCallId: item.callId, toolName: item.name, input }] },
    ];
  }
  if (item.type === "function_call_result") {
    const value = typeof item.output === "string" ? item.output : JSON.stringify(item.output);
    return [
      {
        role: "tool",
        content: [
          { type: "tool-result", toolCallId: item.callId, toolName: item.name, output: { type: "text", value } },
        ],
      },
    ];
  }
  if (item.type === "message" || (item.type === undefined && "role" in item)) {
    const text = typeof item.content === "string" ? item.content : JSON.stringify(item.content);
    if (item.role === "user") return [{ role: "user", content: [{ type: "text", text }] }];
    if (item.role === "assistant") return [{ role: "assistant", content: [{ type: "text", text }] }];
  }
  return [];
}
