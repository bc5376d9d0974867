import { afterEach, describe, expect, it } from "vitest";
import { generateMasterKey, type KeyRing } from "./keyring";
import { forgetOpenedSecrets, openSecretForCall, replaceKeyRing, sealSecret, SecretUnavailableError, type SealContext } from "./index";
import { processSingleton } from "../db/global";

const ring: KeyRing = { source: "env", keys: [generateMasterKey("k1")] };
const ctx: SealContext = { purpose: "credential", workspaceId: null, table: "Credential", field: "ciphertext", rowId: "cred_hot" };
const SECRET = "sk-hot-path-canary-0123456789abcdef";

afterEach(() => replaceKeyRing(null));

describe("openSecretForCall", () => {
  it("answers the plaintext on every call and keeps only a masked copy between calls", () => {
    replaceKeyRing(ring);
    const sealed = sealSecret(SECRET, ctx);
    expect(openSecretForCall(sealed, ctx)).toBe(SECRET);
    expect(openSecretForCall(sealed, ctx)).toBe(SECRET);
    const kept = [...processSingleton<Map<string, { pad: Buffer; masked: Buffer }>>("openedSecrets", () => new Map()).values()];
    expect(kept).toHaveLength(1);
    expect(kept[0].masked.toString("latin1")).not.toContain(SECRET);
    expect(kept[0].masked.includes(Buffer.from(SECRET.slice(0, 8)))).toBe(false);
  });

  it("refuses a sealed value under another context even after it was opened once under its own", () => {
    replaceKeyRing(ring);
    const sealed = sealSecret(SECRET, ctx);
    expect(openSecretForCall(sealed, ctx)).toBe(SECRET);
    expect(() => openSecretForCall(sealed, { ...ctx, rowId: "cred_other" })).toThrow(SecretUnavailableError);
  });

  it("forgets what it opened when the key ring changes or the gateway asks", () => {
    replaceKeyRing(ring);
    const sealed = sealSecret(SECRET, ctx);
    openSecretForCall(sealed, ctx);
    replaceKeyRing({ source: "env", keys: [generateMasterKey("k2")] });
    expect(() => openSecretForCall(sealed, ctx)).toThrow(SecretUnavailableError);
    replaceKeyRing(ring);
    openSecretForCall(sealed, ctx);
    forgetOpenedSecrets();
    replaceKeyRing({ source: "env", keys: [generateMasterKey("k3")] });
    expect(() => openSecretForCall(sealed, ctx)).toThrow(SecretUnavailableError);
  });
});
