import { describe, expect, it, vi } from "vitest";
import { chatTokens, embeddingTokens, roughTokens, utf8Bound } from "./estimate";
import { estimateTextTokens } from "./tokens";

const SAMPLES = [
  "",
  "hello world",
  "The quick brown fox jumps over the lazy dog. ".repeat(50),
  "<|endoftext|><|fim_prefix|><|im_start|>system",
  "日本語のテキストと中文文本，한국어 텍스트",
  "emoji 👩‍👩‍👧‍👦🏳️‍🌈🇫🇷 and combining e\u0301\u0302\u0303",
  "lone surrogates \ud800 x \udfff y",
  "\u0000\u0001\u007f\u0080\u00ff\ufeff\u200b\ufffd",
  "x".repeat(5000),
  " ".repeat(3000) + "\n\n\t\t",
  "function f(a, b) { return a?.b ?? [1, 2, 3].map((x) => x * 2); }\n".repeat(40),
];

function randomText(seed: number, length: number): string {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  let out = "";
  for (let i = 0; i < length; i++) {
    const r = rnd();
    out += String.fromCodePoint(
      r < 0.4
        ? 32 + Math.floor(rnd() * 95)
        : r < 0.7
          ? 0x80 + Math.floor(rnd() * 0x780)
          : r < 0.9
            ? 0x3000 + Math.floor(rnd() * 0x6000)
            : 0x1f300 + Math.floor(rnd() * 0x300),
    );
  }
  return out;
}

describe("the UTF-8 bound", () => {
  it("is never below o200k's count, for unusual and special-token text too", () => {
    const texts = [...SAMPLES, ...Array.from({ length: 40 }, (_, i) => randomText(i + 1, 50 + i * 40))];
    for (const t of texts) expect(utf8Bound(t), JSON.stringify(t.slice(0, 40))).toBeGreaterThanOrEqual(estimateTextTokens(t));
  });

  it("bounds a whole chat body, framing, names, tool calls and tools included", () => {
    const body = {
      messages: [
        { role: "system", content: SAMPLES[4], name: "sys" },
        {
          role: "user",
          content: [
            { type: "text", text: SAMPLES[5] },
            { type: "image_url", image_url: { url: "x" } },
          ],
        },
        { role: "assistant", content: null, tool_calls: [{ function: { name: "get", arguments: '{"a":"\ud800"}' } }] },
      ],
      tools: [{ type: "function", function: { name: "get", parameters: { type: "object" } } }],
    };
    expect(chatTokens(body, utf8Bound)).toBeGreaterThanOrEqual(chatTokens(body, estimateTextTokens));
  });

  it("estimates reservations at about a token per four bytes", () => {
    expect(roughTokens("")).toBe(0);
    expect(roughTokens("abcde")).toBe(2);
    expect(embeddingTokens(["abcd", [1, 2, 3]], roughTokens)).toBe(4);
  });
});

describe("the exact count", () => {
  it("imports the tokenizer only when first asked for an exact count", async () => {
    vi.resetModules();
    let loads = 0;
    vi.doMock("./tokens", async (original) => {
      loads++;
      return original();
    });
    try {
      const est = await import("./estimate");
      const body = { messages: [{ role: "user", content: "hello world" }] };
      expect(est.chatTokens(body, est.utf8Bound)).toBe(3 + 3 + 11);
      expect(est.chatTokens(body, est.roughTokens)).toBe(3 + 3 + 3);
      expect(loads).toBe(0);
      expect(await est.exactChatTokens(body)).toBe(8);
      expect(await est.exactEmbeddingTokens(["hello world", "hello world"])).toBe(4);
      expect(await est.exactTextTokens("hello world")).toBe(2);
      expect(loads).toBe(1);
    } finally {
      vi.doUnmock("./tokens");
      vi.resetModules();
    }
  });
});
