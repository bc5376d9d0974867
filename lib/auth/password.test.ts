import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";

describe("password hashing", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(stored).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+$/);
    expect(stored).not.toContain("correct horse battery");
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("correct horse batterY", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("salts every hash: the same password hashes differently and both verify", async () => {
    const a = await hashPassword("same password 1");
    const b = await hashPassword("same password 1");
    expect(a).not.toBe(b);
    expect(await verifyPassword("same password 1", a)).toBe(true);
    expect(await verifyPassword("same password 1", b)).toBe(true);
  });

  it("refuses a tampered or malformed hash", async () => {
    const stored = await hashPassword("tamper me please");
    const parts = stored.split("$");
    const flip = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1);
    const tamperedHash = [...parts.slice(0, 5), flip(parts[5])].join("$");
    const tamperedSalt = [...parts.slice(0, 4), flip(parts[4]), parts[5]].join("$");
    expect(await verifyPassword("tamper me please", tamperedHash)).toBe(false);
    expect(await verifyPassword("tamper me please", tamperedSalt)).toBe(false);
    expect(await verifyPassword("tamper me please", parts.slice(0, 5).join("$"))).toBe(false);
    expect(await verifyPassword("tamper me please", stored.replace(/^scrypt/, "bcrypt"))).toBe(false);
    expect(await verifyPassword("tamper me please", stored + "$extra")).toBe(false);
  });

  it("returns false (after doing the work) when there is no stored hash", async () => {
    expect(await verifyPassword("anything at all", null)).toBe(false);
    expect(await verifyPassword("anything at all", undefined)).toBe(false);
    expect(await verifyPassword("anything at all", "")).toBe(false);
  });

  it("treats NFKC-equivalent spellings as the same password", async () => {
    const stored = await hashPassword("caf\u00e9 au lait");
    expect(await verifyPassword("cafe\u0301 au lait", stored)).toBe(true);
  });
});
