import { describe, expect, it } from "vitest";
import { cleanOptional, cleanText } from "./clean-text";

describe("cleanText", () => {
  it("returns ordinary text as it is", () => {
    for (const s of ["", "alice", "agent/7 ü 中文", "tab\tnew\nline\\", "emoji 👍🏽"]) expect(cleanText(s, 256)).toBe(s);
  });

  it("replaces NUL so the text is storable and still distinct from the same text without it", () => {
    expect(cleanText("bad\u0000user", 256)).toBe("bad\uFFFDuser");
    expect(cleanText("\u0000\u0000", 256)).toBe("\uFFFD\uFFFD");
  });

  it("replaces lone surrogates and keeps pairs", () => {
    expect(cleanText("a\uD800b", 256)).toBe("a\uFFFDb");
    expect(cleanText("a\uDC00b", 256)).toBe("a\uFFFDb");
    expect(cleanText("\uDC00\uD800", 256)).toBe("\uFFFD\uFFFD");
    expect(cleanText("x😀\u0000", 256)).toBe("x😀\uFFFD");
  });

  it("caps the length without cutting a surrogate pair", () => {
    expect(cleanText("a".repeat(300), 256)).toHaveLength(256);
    const s = "a".repeat(255) + "😀tail";
    expect(cleanText(s, 256)).toBe("a".repeat(255));
    expect(cleanText("a".repeat(254) + "😀tail", 256)).toBe("a".repeat(254) + "😀");
  });

  it("leaves nothing PostgreSQL refuses in text or jsonb, whatever the input", () => {
    const alphabet = ["a", "\u0000", "\uD83D", "\uDE00", "😀", "\\", "\u0001", "é"];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (let n = 0; n < 2000; n++) {
      const s = Array.from({ length: next() % 40 }, () => alphabet[next() % alphabet.length]).join("");
      const max = 1 + (next() % 30);
      const out = cleanText(s, max);
      expect(out.includes("\u0000")).toBe(false);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(JSON.stringify(out)).not.toMatch(/\\u0000|\\ud[89a-f]/i);
    }
  });
});

describe("cleanOptional", () => {
  it("is null for anything but a string", () => {
    expect(cleanOptional(null, 10)).toBeNull();
    expect(cleanOptional(undefined, 10)).toBeNull();
    expect(cleanOptional(42, 10)).toBeNull();
    expect(cleanOptional("ok\u0000", 10)).toBe("ok\uFFFD");
  });
});
