import { describe, expect, it } from "vitest";
import { formToObject, redactPayload } from "./redact";

describe("redactPayload", () => {
  it("masks dotted paths, wildcards and through arrays, leaving the input as it was", () => {
    const payload = {
      data: { card: { number: "4242", exp: "12/30" }, items: [{ token: "a", n: 1 }, { token: "b" }] },
      user: { email: "x@y" },
    };
    const out = redactPayload(payload, ["data.card.number", "data.items.token", "user.*", "missing.path"]);
    expect(out).toEqual({
      data: { card: { number: "[redacted]", exp: "12/30" }, items: [{ token: "[redacted]", n: 1 }, { token: "[redacted]" }] },
      user: { email: "[redacted]" },
    });
    expect(payload.data.card.number).toBe("4242");
  });
  it("reads form bodies with repeated fields", () => {
    expect(formToObject("a=1&b=x%20y&a=2")).toEqual({ a: ["1", "2"], b: "x y" });
    // Field names that are members of Object.prototype stay plain fields.
    const odd = formToObject("__proto__=a&constructor=b&toString=c");
    expect(Object.getPrototypeOf(odd)).toBeNull();
    expect([odd["__proto__"], odd.constructor, odd.toString]).toEqual(["a", "b", "c"]);
  });
});
