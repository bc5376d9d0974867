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
    logger.error("secret could not be decrypted", { table: ctx.table, field: ctx.field, rowId: ctx.rowId, keyId: keyIdOf(sealed), error: e });
    throw e;
  }
}

export { keyIdOf, maskSecret, SecretUnavailableError, type SealContext } from "./seal";
