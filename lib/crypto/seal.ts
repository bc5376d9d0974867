import crypto from "node:crypto";
import { AppError } from "../errors";
import { derivePurposeKey, type KeyRing } from "./keyring";

// Field-level authenticated encryption. Format: `sb1.<keyId>.<nonce b64url>.<ciphertext+tag b64url>`.
// The associated data binds a value to where it lives (purpose, workspace, table, field, row), so a
// ciphertext copied to another row, field or workspace does not decrypt.

export const FORMAT_VERSION = "sb1";

export interface SealContext {
  purpose: string;
  workspaceId: string | null;
  table: string;
  field: string;
  rowId: string;
}

export class SecretUnavailableError extends AppError {
  readonly reason: "tampered" | "unknown_key" | "malformed";
  constructor(reason: "tampered" | "unknown_key" | "malformed", message: string) {
    super("unavailable", message);
    this.reason = reason;
  }
}

function aad(ctx: SealContext, keyId: string): Buffer {
  return Buffer.from(JSON.stringify([FORMAT_VERSION, keyId, ctx.purpose, ctx.workspaceId ?? "", ctx.table, ctx.field, ctx.rowId]), "utf8");
}

const keyCache = new WeakMap<Buffer, Map<string, Buffer>>();
function purposeKey(ring: KeyRing, keyId: string, purpose: string): Buffer | null {
  const master = ring.keys.find((k) => k.id === keyId);
  if (!master) return null;
  let byPurpose = keyCache.get(master.key);
  if (!byPurpose) keyCache.set(master.key, (byPurpose = new Map()));
  let k = byPurpose.get(purpose);
  if (!k) byPurpose.set(purpose, (k = derivePurposeKey(master, purpose)));
  return k;
}

export function seal(ring: KeyRing, plaintext: string, ctx: SealContext): string {
  const keyId = ring.keys[0].id;
  const key = purposeKey(ring, keyId, ctx.purpose)!;
  const nonce = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(aad(ctx, keyId));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${FORMAT_VERSION}.${keyId}.${nonce.toString("base64url")}.${body.toString("base64url")}`;
}

/** The key id a stored value is sealed with, or null when the value is not in our format. */
export function keyIdOf(sealed: string): string | null {
  const parts = sealed.split(".");
  return parts.length === 4 && parts[0] === FORMAT_VERSION ? parts[1] : null;
}

/** Opens a sealed value. Any failure throws; there is never a fallback to the stored text. */
export function open(ring: KeyRing, sealed: string, ctx: SealContext): string {
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== FORMAT_VERSION) {
    throw new SecretUnavailableError("malformed", "Stored secret is not in a recognised format");
  }
  const [, keyId, nonceB64, bodyB64] = parts;
  const key = purposeKey(ring, keyId, ctx.purpose);
  if (!key)
    throw new SecretUnavailableError(
      "unknown_key",
      `Encryption key "${keyId}" is not available; restore it to SWITCHBOARD_ENCRYPTION_KEYS`,
    );
  const nonce = Buffer.from(nonceB64, "base64url");
  const body = Buffer.from(bodyB64, "base64url");
  if (nonce.length !== 12 || body.length < 16) throw new SecretUnavailableError("malformed", "Stored secret is truncated");
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, nonce);
    decipher.setAAD(aad(ctx, keyId));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretUnavailableError("tampered", "Stored secret failed its integrity check and cannot be used");
  }
}

/** `sk-...a1b2`: a short recognisable head (when it is a well-known prefix) and the last four characters. */
export function maskSecret(value: string): string {
  const tail = value.length >= 12 ? value.slice(-4) : "";
  const head = /^([a-z]{2,5}[-_])/i.exec(value)?.[1] ?? "";
  return `${head}...${tail}`;
}
