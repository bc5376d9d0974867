import crypto from "node:crypto";
import path from "node:path";
import { dataDir, env } from "../env";
import { processSingleton } from "../db/global";
import { logger } from "../log";
import { KeyRingError, loadOrCreateKeyFile, parseKeyRing, type KeyRing } from "./keyring";
import { keyIdOf, open, seal, type SealContext } from "./seal";

// The one place that holds master keys. With SWITCHBOARD_ENCRYPTION_KEYS set, that ring is used. Without it,
// the embedded default (no DATABASE_URL) generates a local key file in the data directory on first use;
// a PostgreSQL deployment without keys refuses to store secrets rather than storing them in the clear.

export const LOCAL_KEY_FILE = "encryption-keys";

/** Which key ring applies: the configured one, a local key file for the embedded default, or none. */
export function resolveKeyRing(opts: { envKeys?: string; databaseUrl?: string; dataDir: string }): KeyRing | null {
  if (opts.envKeys) return { source: "env", keys: parseKeyRing(opts.envKeys) };
  if (opts.databaseUrl) return null;
  const file = path.join(opts.dataDir, LOCAL_KEY_FILE);
  const { keys, created } = loadOrCreateKeyFile(file);
  if (created) logger.warn("generated a local encryption key for secrets; back it up with the data directory", { file, keyId: keys[0].id });
  return { source: "file", keys };
}

const ringSlot = () =>
  processSingleton<{ ring: KeyRing | null }>("keyRing", () => ({
    ring: resolveKeyRing({ envKeys: env.SWITCHBOARD_ENCRYPTION_KEYS, databaseUrl: env.DATABASE_URL, dataDir }),
  }));

/** Swaps the process's key ring (tests and the rotation tool's dry runs). */
export function replaceKeyRing(ring: KeyRing | null): void {
  ringSlot().ring = ring;
  forgetOpenedSecrets();
}

export function keyRing(): KeyRing {
  const ring = ringSlot().ring;
  if (!ring) {
    throw new KeyRingError("Secrets cannot be stored or read: set SWITCHBOARD_ENCRYPTION_KEYS (id:base64 32-byte key) on this server");
  }
  return ring;
}

export function currentKeyId(): string {
  return keyRing().keys[0].id;
}

export function sealSecret(plaintext: string, ctx: SealContext): string {
  return seal(keyRing(), plaintext, ctx);
}

export function openSecret(sealed: string, ctx: SealContext): string {
  try {
    return open(keyRing(), sealed, ctx);
  } catch (e) {
    // An operator must hear about a secret that cannot be opened; the log names where it lives, never its value.
    logger.error("secret could not be decrypted", {
      table: ctx.table,
      field: ctx.field,
      rowId: ctx.rowId,
      keyId: keyIdOf(sealed),
      error: e,
    });
    throw e;
  }
}

// Secrets a hot path opens on every call (the gateway's platform keys) are kept here, inside lib/crypto, XORed with
// a random pad of their own length: the clear string exists only while the caller's one call uses it
// (ARCHITECTURE.md section 5), and the heap never holds it between calls. Unmasking costs ~1 us; an AES-GCM open
// (a cipher context per call) cost ~30 us under load. Keyed by the sealed value and its whole context, so a
// value moved to another row is still refused by the first open; bounded, and dropped when the ring changes.
interface Masked {
  pad: Buffer;
  masked: Buffer;
}
const opened = () => processSingleton<Map<string, Masked>>("openedSecrets", () => new Map());
const MAX_OPENED = 1000;

export function openSecretForCall(sealed: string, ctx: SealContext): string {
  const cacheKey = `${ctx.purpose}\u0000${ctx.workspaceId ?? ""}\u0000${ctx.table}\u0000${ctx.field}\u0000${ctx.rowId}\u0000${sealed}`;
  const cache = opened();
  const hit = cache.get(cacheKey);
  if (hit) {
    const out = Buffer.allocUnsafe(hit.masked.length);
    for (let i = 0; i < out.length; i++) out[i] = hit.masked[i] ^ hit.pad[i];
    const text = out.toString("utf8");
    out.fill(0);
    return text;
  }
  const text = openSecret(sealed, ctx);
  const clear = Buffer.from(text, "utf8");
  const pad = crypto.randomBytes(clear.length);
  for (let i = 0; i < clear.length; i++) clear[i] ^= pad[i];
  if (cache.size >= MAX_OPENED) cache.clear();
  cache.set(cacheKey, { pad, masked: clear });
  return text;
}

/** Drops every masked secret (the key ring changed, or the gateway rebuilt its snapshot). */
export function forgetOpenedSecrets(): void {
  opened().clear();
}

export { keyIdOf, maskSecret, SecretUnavailableError, type SealContext } from "./seal";
