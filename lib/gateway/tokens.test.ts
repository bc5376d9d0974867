import { describe, expect, it } from "vitest";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { estimateChatTokens, estimateTextTokens } from "./tokens";

describe("estimateTextTokens", () => {
  it("counts o200k tokens", () => {
    expect(estimateTextTokens("")).toBe(0);
    expect(estimateTextTokens("hello world")).toBe(2);
    // Long text grows with its length (about four characters a token for English).
    const long = "The quick brown fox jumps over the lazy dog. ".repeat(100);
    expect(estimateTextTokens(long)).toBeGreaterThan(900);
    expect(estimateTextTokens(long)).toBeLessThan(1200);
  });

  it("counts a long run without whitespace in slices, so its cost stays linear", () => {
    const slice = estimateTextTokens("x".repeat(256));
    // 300 KB of one character: one pre-token, which BPE would merge in quadratic time.
    expect(estimateTextTokens("x".repeat(256 * 1200))).toBe(slice * 1200);
    // Text around the run is counted as before, the run on its own.
    expect(estimateTextTokens(`hello ${"y".repeat(512)} world`)).toBe(
      2 * estimateTextTokens("y".repeat(256)) + estimateTextTokens("hello  world"),
    );
    // Ordinary text with short words is not sliced.
    const prose = "The quick brown fox jumps over the lazy dog. ".repeat(100);
    expect(estimateTextTokens(prose)).toBe(countTokens(prose));
  });

  it("counts special-token text from callers instead of throwing", () => {
    expect(estimateTextTokens("a <|endoftext|> b")).toBeGreaterThan(3);
  });
});

describe("estimateChatTokens", () => {
  it("adds OpenAI's per-message framing and reply priming", () => {
    // 3 (priming) + 3 + "hello world" (2)
    expect(estimateChatTokens([{ role: "user", content: "hello world" }])).toBe(8);
    expect(estimateChatTokens([{ role: "user", content: "hello world", name: "bob" }])).toBe(8 + 1 + estimateTextTokens("bob"));
    expect(estimateChatTokens([])).toBe(3);
  });

  it("counts text parts, images by detail, and tool calls", () => {
    const parts = estimateChatTokens([
      {
        role: "user",
        content: [
          { type: "text", text: "hello world" },
          { type: "image_url", image_url: { url: "https://x/a.png", detail: "low" } },
          { type: "image_url", image_url: { url: "https://x/b.png" } },
        ],
      },
    ]);
    expect(parts).toBe(3 + 3 + 2 + 85 + 765);
    const withCalls = estimateChatTokens([
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
      },
    ]);
    expect(withCalls).toBe(3 + 3 + 3 + estimateTextTokens("get_weather") + estimateTextTokens('{"city":"Paris"}'));
  });

  it("counts tool definitions", () => {
    const messages = [{ role: "user", content: "x" }];
    const tools = [
      {
        type: "function",
        function: {
          name: "search",
          description: "Search the knowledge base",
          parameters: { type: "object", properties: { q: { type: "string" } } },
        },
      },
    ];
    expect(estimateChatTokens(messages, tools) - estimateChatTokens(messages)).toBe(estimateTextTokens(JSON.stringify(tools)));
  });
});
