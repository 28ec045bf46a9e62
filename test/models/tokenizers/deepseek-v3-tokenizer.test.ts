import { describe, expect, it } from "vitest";
import { loadDeepSeekV3Tokenizer } from "../../../src/models/tokenizers/deepseek-v3-tokenizer.ts";
import type { MessageText } from "../../../src/models/tokenizers/prompt-text.ts";
import { deepSeekV3Counter } from "../../support/deepseek-server/token-count.ts";

const message = (role: MessageText["role"], text: string): MessageText => ({
  role,
  texts: [text],
  toolCalls: [],
  images: 0,
});

const plainTexts = [
  "hello world",
  "请阅读这个文件，找出失败的测试，然后做最小的修改让它们通过。",
  "def add(a, b):\n    return a + b\n\nassert add(2, 3) == 5\n",
  "Done ✅ — 3 files changed 🎉, 東京の天気は晴れです。",
];

// Loaded once: parsing the 7 MB vocabulary takes about a second.
const [ours, official] = await Promise.all([loadDeepSeekV3Tokenizer(), deepSeekV3Counter()]);

// The expected counts come from the official chat template run by its Jinja engine (the test server's counter),
// a different path from our hand-written rendering of the same template.
describe("the DeepSeek V3 tokenizer", () => {
  it.each(plainTexts)("counts a plain user prompt exactly as the official chat template does: %j", (text) => {
    expect(ours.countPrompt([message("user", text)], undefined)).toBe(
      official.prompt({ messages: [{ role: "user", content: text }] }),
    );
  });

  it("counts system prompts joined before the first user turn as the official template does", () => {
    const messages = [message("system", "You are a coding agent."), message("system", "答案要简短。")];
    expect(ours.countPrompt([...messages, message("user", plainTexts[1]!)], undefined)).toBe(
      official.prompt({
        messages: [
          { role: "system", content: "You are a coding agent." },
          { role: "system", content: "答案要简短。" },
          { role: "user", content: plainTexts[1] },
        ],
      }),
    );
  });

  it("counts each special marker of the template as one token", () => {
    // Begin of sentence, <｜User｜> and the answer's <｜Assistant｜>: nothing else for an empty user turn.
    expect(ours.countPrompt([message("user", "")], undefined)).toBe(3);
    expect(ours.countAppended([message("user", "")])).toBe(2);
  });
});
