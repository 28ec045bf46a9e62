import { writeFileSync } from "node:fs";
import path from "node:path";
import type { LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { afterEach, describe, expect, it } from "vitest";
import { Agent, approveRun, executeRun, type RunEvent, startRun } from "../../src/agent/index.ts";
import { ScriptedModel } from "../../src/testing/index.ts";
import { ImageInputError } from "../../src/tools/images/image-errors.ts";
import { scriptedHarness } from "../support/agent-harness.ts";
import { tinyPng } from "../support/tiny-images.ts";

let harness: ReturnType<typeof scriptedHarness>;
afterEach(() => harness?.cleanup());

const png = tinyPng(2, 3, [0, 128, 255]);
const pngBase64 = png.toString("base64");

/** The tool results of the prompt's last tool message, as the model layer received them. */
const lastToolOutputs = (options: LanguageModelV3CallOptions) => {
  const message = options.prompt.findLast((candidate) => candidate.role === "tool");
  return message?.role === "tool"
    ? message.content.map((part) => (part.type === "tool-result" ? part.output : undefined))
    : [];
};

describe("images in a run", () => {
  it("gives a vision model the image read_file found by content, keeps it in the store and re-sends the same bytes on resume", async () => {
    const taskImage = tinyPng(1, 1, [9, 9, 9]);
    harness = scriptedHarness(
      [
        {
          toolCalls: [{ name: "read_file", input: { path: "chart.data" }, id: "read" }],
          expect: (options) => {
            const task = options.prompt[1];
            expect(task).toEqual({
              role: "user",
              content: [
                { type: "text", text: "describe the chart" },
                { type: "file", mediaType: "image/png", data: taskImage.toString("base64") },
              ],
            });
          },
        },
        {
          toolCalls: [{ name: "run_command", input: { command: "true" }, id: "command" }],
          expect: (options) => {
            expect(lastToolOutputs(options)).toEqual([
              {
                type: "content",
                value: [
                  { type: "text", text: `"chart.data": PNG image, 2×3, ${png.length} bytes` },
                  { type: "image-data", data: pngBase64, mediaType: "image/png" },
                ],
              },
            ]);
          },
        },
        {
          text: "A blue chart.",
          expect: (options) => {
            // Rebuilt from the store after the approval: the task's and the tool's images are the same bytes.
            const serialized = JSON.stringify(options.prompt);
            expect(serialized).toContain(`"data":"${taskImage.toString("base64")}"`);
            expect(serialized).toContain(`{"type":"image-data","data":"${pngBase64}","mediaType":"image/png"}`);
          },
        },
      ],
      { vision: true },
    );
    writeFileSync(path.join(harness.workspace, "chart.data"), png);
    const run = await startRun(harness.runtime, {
      task: "describe the chart",
      model: "scripted",
      workspace: harness.workspace,
      approval: "ask",
      images: [{ mediaType: "image/png", base64: taskImage.toString("base64") }],
    });
    const events: RunEvent[] = [];
    const waiting = await executeRun(harness.runtime, run.id, { onEvent: (event) => events.push(event) });
    expect(waiting.status).toBe("awaiting_approval");
    const [readCall] = await harness.store.listToolCalls(run.id);
    expect(readCall?.outputImages).toEqual([{ mediaType: "image/png", base64: pngBase64 }]);
    const result = events.find((event) => event.type === "tool-result");
    expect(result).toMatchObject({ images: [`[image image/png ${png.length} B]`] });
    const storedEvents = JSON.stringify(await harness.store.listEvents(run.id));
    expect(storedEvents).not.toContain(pngBase64);
    expect(storedEvents).toContain("[image image/png");

    await approveRun(harness.runtime, run.id, { approve: true });
    const finished = await executeRun(harness.runtime, run.id);
    expect(finished.status).toBe("succeeded");
    expect(harness.model.calls).toHaveLength(3);
  });

  it("gives a model without vision a short note about the image instead of the image", async () => {
    harness = scriptedHarness([
      { toolCalls: [{ name: "read_file", input: { path: "photo.png" } }] },
      {
        text: "It is a picture.",
        expect: (options) => {
          expect(lastToolOutputs(options)).toEqual([
            {
              type: "text",
              value: `"photo.png" is an image (PNG image, 2×3, ${png.length} bytes). This model cannot see images, so its content is not shown.`,
            },
          ]);
        },
      },
    ]);
    writeFileSync(path.join(harness.workspace, "photo.png"), png);
    const run = await startRun(harness.runtime, {
      task: "what is it",
      model: "scripted",
      workspace: harness.workspace,
    });
    const finished = await executeRun(harness.runtime, run.id);
    expect(finished.status).toBe("succeeded");
    expect((await harness.store.listToolCalls(run.id))[0]?.outputImages).toBeUndefined();
  });

  it("fails a run with images on a model without vision before any call", async () => {
    harness = scriptedHarness([]);
    const run = await startRun(harness.runtime, {
      task: "describe",
      model: "scripted",
      workspace: harness.workspace,
      images: [{ mediaType: "image/png", base64: pngBase64 }],
    });
    const finished = await executeRun(harness.runtime, run.id);
    expect(finished.status).toBe("failed");
    expect(finished.error).toContain("scripted has no vision in the catalog");
    expect(harness.model.calls).toHaveLength(0);
  });

  it("Agent.run takes images for a vision model and refuses them, before a run exists, for one without", async () => {
    harness = scriptedHarness([]);
    const file = path.join(harness.folder, "pic.png");
    writeFileSync(file, png);
    const seeing = new ScriptedModel([
      {
        text: "Blue.",
        expect: (options) => expect(JSON.stringify(options.prompt[1])).toContain(pngBase64),
      },
    ]);
    const agent = new Agent({ model: seeing, vision: true, memory: true, workspace: harness.workspace });
    expect((await agent.run("what colour", { images: [file] })).status).toBe("succeeded");
    agent.close();
    const blind = new Agent({ model: new ScriptedModel([]), memory: true, workspace: harness.workspace });
    await expect(blind.run("what colour", { images: [file] })).rejects.toThrow(ImageInputError);
    writeFileSync(file, "not a picture");
    await expect(agent.run("what colour", { images: [file] })).rejects.toThrow(/is not an image Tansuo can send/);
    blind.close();
  });
});
