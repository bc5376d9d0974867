import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AppError } from "../errors";

// The key ring: master keys by id. The first key encrypts; every key decrypts. Master keys are never used
// directly: each purpose gets its own key derived with HKDF, so a value sealed for one purpose cannot be
// opened (or forged) as another.

export interface MasterKey {
  id: string;
  key: Buffer;
}

export interface KeyRing {
  /** Where the keys came from: "env" (SWITCHBOARD_ENCRYPTION_KEYS) or "file" (generated locally). */
  source: "env" | "file";
  keys: MasterKey[];
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export class KeyRingError extends AppError {
  constructor(message: string) {
    super("unavailable", message);
  }
}

/** Parses `id:base64key[,id:base64key...]`; keys must be 32 bytes (base64 or base64url). */
export function parseKeyRing(spec: string): MasterKey[] {
  const keys: MasterKey[] = [];
  for (const part of spec
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const idx = part.indexOf(":");
    if (idx < 1) throw new KeyRingError("SWITCHBOARD_ENCRYPTION_KEYS: each entry must be id:base64key");
    const id = part.slice(0, idx);
    if (!KEY_ID.test(id)) throw new KeyRingError(`SWITCHBOARD_ENCRYPTION_KEYS: invalid key id "${id.slice(0, 32)}"`);
    const key = Buffer.from(
      part
        .slice(idx + 1)
        .replace(/-/g, "+")
        .replace(/_/g, "/"),
      "base64",
    );
    if (key.length !== 32) throw new KeyRingError(`SWITCHBOARD_ENCRYPTION_KEYS: key "${id}" must be 32 bytes (base64), got ${key.length}`);
    if (keys.some((k) => k.id === id)) throw new KeyRingError(`SWITCHBOARD_ENCRYPTION_KEYS: duplicate key id "${id}"`);
    keys.push({ id, key });
  }
  if (!keys.length) throw new KeyRingError("SWITCHBOARD_ENCRYPTION_KEYS is empty");
  return keys;
}

export function formatKeyRing(keys: MasterKey[]): string {
  return keys.map((k) => `${k.id}:${k.key.toString("base64")}`).join(",");
}

export function generateMasterKey(id: string): MasterKey {
  return { id, key: crypto.randomBytes(32) };
}

/**
 * Loads the local key file, creating it (owner-only) on first use. Returns whether it was created so the
 * caller can say so in the log.
 */
export function loadOrCreateKeyFile(file: string): { keys: MasterKey[]; created: boolean } {
  try {
    return { keys: parseKeyRing(fs.readFileSync(file, "utf8")), created: false };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = generateMasterKey(`local-${new Date().toISOString().slice(0, 10).replace(/-/g, "")}`);
  try {
    fs.writeFileSync(file, formatKeyRing([key]) + "\n", { mode: 0o600, flag: "wx" });
    return { keys: [key], created: true };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    return { keys: parseKeyRing(fs.readFileSync(file, "utf8")), created: false };
  }
}

/** HKDF-SHA256 subkey of a master key for one purpose. */
export function derivePurposeKey(master: MasterKey, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", master.key, Buffer.from("switchboard/v1"), Buffer.from(`purpose:${purpose}`), 32));
}
