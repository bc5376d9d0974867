import { describe, expect, it } from "vitest";
import { generateSecret, hashSecret, safeEqual, secretPrefix } from "./secret-token";

describe("secret tokens", () => {
  it("are random, carry their kind as a prefix and 256 bits of base64url", () => {
    const a = generateSecret("sbat");
    const b = generateSecret("sbat");
    expect(a).toMatch(/^sbat_[A-Za-z0-9_-]{43}$/);
    expect(generateSecret("sbinv")).toMatch(/^sbinv_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });

  it("show a short prefix that does not reveal the secret", () => {
    const t = generateSecret("sbat");
    expect(secretPrefix(t)).toBe(t.slice(0, 12));
    expect(secretPrefix(t).length).toBeLessThan(t.length / 3);
  });

  it("hash to a stable SHA-256 hex digest that differs per token", () => {
    expect(hashSecret("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const t = generateSecret("sbat");
    expect(hashSecret(t)).toBe(hashSecret(t));
    expect(hashSecret(t)).not.toBe(hashSecret(t + "x"));
    expect(hashSecret(t)).not.toContain(t);
  });

  it("safeEqual compares any two strings, including different lengths", () => {
    expect(safeEqual("same-token-value", "same-token-value")).toBe(true);
    expect(safeEqual("same-token-value", "same-token-valuE")).toBe(false);
    expect(safeEqual("short", "a much longer value")).toBe(false);
    expect(safeEqual("", "")).toBe(true);
    expect(safeEqual("", "x")).toBe(false);
  });
});
