import { describe, expect, it } from "vitest";
import { formatKeyRing, generateMasterKey, parseKeyRing, type KeyRing } from "./keyring";
import { keyIdOf, maskSecret, open, seal, SecretUnavailableError, type SealContext } from "./seal";

const k1 = generateMasterKey("k1");
const k2 = generateMasterKey("k2");
const ringOld: KeyRing = { source: "env", keys: [k1] };
const ringBoth: KeyRing = { source: "env", keys: [k2, k1] };
const ringNew: KeyRing = { source: "env", keys: [k2] };

const ctx: SealContext = { purpose: "credential", workspaceId: "ws_a", table: "Credential", field: "ciphertext", rowId: "cred_1" };
const SECRET = "sk-live-canary-0123456789abcdef";

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SecretUnavailableError);
    const err = e as SecretUnavailableError;
    expect(err.message).not.toContain(SECRET);
    return err.reason;
  }
  throw new Error("expected decryption to fail");
}

/** Flips one bit of the base64url segment `part` (1 = key id, 2 = nonce, 3 = body). */
function flip(sealed: string, part: number, byteIndex = 0): string {
  const parts = sealed.split(".");
  const bytes = Buffer.from(parts[part], "base64url");
  bytes[Math.min(byteIndex, bytes.length - 1)] ^= 0x01;
  parts[part] = bytes.toString("base64url");
  return parts.join(".");
}

describe("seal/open", () => {
  it("round-trips and never contains the plaintext", () => {
    const sealed = seal(ringOld, SECRET, ctx);
    expect(sealed.startsWith("sb1.k1.")).toBe(true);
    expect(sealed).not.toContain(SECRET);
    expect(open(ringOld, sealed, ctx)).toBe(SECRET);
  });

  it("uses a fresh nonce each time", () => {
    expect(seal(ringOld, SECRET, ctx)).not.toBe(seal(ringOld, SECRET, ctx));
  });

  it("fails closed on a flipped bit in the nonce, the ciphertext or the tag", () => {
    const sealed = seal(ringOld, SECRET, ctx);
    expect(reason(() => open(ringOld, flip(sealed, 2), ctx))).toBe("tampered");
    expect(reason(() => open(ringOld, flip(sealed, 3, 0), ctx))).toBe("tampered");
    const tagByte = Buffer.from(sealed.split(".")[3], "base64url").length - 1;
    expect(reason(() => open(ringOld, flip(sealed, 3, tagByte), ctx))).toBe("tampered");
  });

  it("fails closed on truncation and on a wrong version prefix", () => {
    const sealed = seal(ringOld, SECRET, ctx);
    expect(reason(() => open(ringOld, sealed.slice(0, sealed.length - 10), ctx))).toBe("tampered");
    expect(reason(() => open(ringOld, sealed.split(".").slice(0, 3).join(".") + ".AA", ctx))).toBe("malformed");
    expect(reason(() => open(ringOld, sealed.replace(/^sb1/, "sb2"), ctx))).toBe("malformed");
    expect(reason(() => open(ringOld, SECRET, ctx))).toBe("malformed");
  });

  it("does not open a value moved to another row, field, table or workspace", () => {
    const sealed = seal(ringOld, SECRET, ctx);
    for (const moved of [
      { ...ctx, rowId: "cred_2" },
      { ...ctx, field: "other" },
      { ...ctx, table: "Webhook" },
      { ...ctx, workspaceId: "ws_b" },
      { ...ctx, workspaceId: null },
    ]) {
      expect(reason(() => open(ringOld, sealed, moved))).toBe("tampered");
    }
  });

  it("keeps purposes apart: a value sealed for one purpose does not open as another", () => {
    const sealed = seal(ringOld, SECRET, ctx);
    expect(reason(() => open(ringOld, sealed, { ...ctx, purpose: "session" }))).toBe("tampered");
  });

  it("says the key is unavailable for an unknown or retired key id", () => {
    const sealed = seal(ringOld, SECRET, ctx);
    expect(reason(() => open(ringNew, sealed, ctx))).toBe("unknown_key");
    // Renaming the key id inside the value does not help: the id is bound as associated data.
    const renamed = sealed.replace(".k1.", ".k2.");
    expect(reason(() => open(ringBoth, renamed, ctx))).toBe("tampered");
  });

  it("with two keys, encrypts with the first and still decrypts values under the second", () => {
    const old = seal(ringOld, SECRET, ctx);
    expect(open(ringBoth, old, ctx)).toBe(SECRET);
    const fresh = seal(ringBoth, SECRET, ctx);
    expect(keyIdOf(fresh)).toBe("k2");
    expect(keyIdOf(old)).toBe("k1");
    expect(() => open(ringOld, fresh, ctx)).toThrow(SecretUnavailableError);
  });
});

describe("key ring", () => {
  it("parses id:base64 entries, first one first", () => {
    const keys = parseKeyRing(formatKeyRing([k2, k1]));
    expect(keys.map((k) => k.id)).toEqual(["k2", "k1"]);
    expect(keys[0].key.equals(k2.key)).toBe(true);
  });

  it("refuses short keys, bad ids, duplicates and empty rings without echoing key material", () => {
    const material = Buffer.alloc(16, 7).toString("base64");
    expect(() => parseKeyRing(`a:${material}`)).toThrow(/32 bytes/);
    try {
      parseKeyRing(`a:${material}`);
    } catch (e) {
      expect((e as Error).message).not.toContain(material);
    }
    expect(() => parseKeyRing(`bad id!:${k1.key.toString("base64")}`)).toThrow(/invalid key id/);
    expect(() => parseKeyRing(`${formatKeyRing([k1])},${formatKeyRing([k1])}`)).toThrow(/duplicate/);
    expect(() => parseKeyRing(" , ")).toThrow(/empty/);
  });
});

describe("maskSecret", () => {
  it("shows at most a well-known prefix and the last four characters", () => {
    expect(maskSecret("sk-proj-abcdefghijklmnop1234")).toBe("sk-...1234");
    expect(maskSecret("ghp_abcdefghijklmnopqrstu9z8y")).toBe("ghp_...9z8y");
    expect(maskSecret("plainlongsecretvalue")).toBe("...alue");
    expect(maskSecret("short")).toBe("...");
  });
});
