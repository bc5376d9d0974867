import crypto from "node:crypto";
import type { WebhookOptions } from "../../schemas/webhooks";

// What every scheme's verify function gets and answers. Headers are lower-cased, one value each; `body` is the
// raw body exactly as received (signatures are over these bytes, never over re-serialised JSON).

export interface VerifyInput {
  headers: Record<string, string>;
  body: Buffer;
  /** The endpoint's valid secrets (current first, then those in a rotation's grace period). */
  secrets: string[];
  options: WebhookOptions;
  /** Now, in ms (the data plane's clock). */
  nowMs: number;
}

export type VerifyFailure =
  "missing_signature" | "bad_signature" | "timestamp_invalid" | "timestamp_expired" | "timestamp_in_future" | "no_secret";

export type VerifyResult = { ok: true } | { ok: false; reason: VerifyFailure; message: string };

export const OK: VerifyResult = { ok: true };
export const fail = (reason: VerifyFailure, message: string): VerifyResult => ({ ok: false, reason, message });

export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Constant-time equality of two byte strings: unequal lengths are compared as digests so timing says nothing. */
export function safeEqual(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) {
    const da = crypto.createHash("sha256").update(a).digest();
    const db = crypto.createHash("sha256").update(b).digest();
    crypto.timingSafeEqual(da, db);
    return false;
  }
  return crypto.timingSafeEqual(a, b);
}

export const hmac = (key: string | Buffer, ...parts: (string | Buffer)[]): Buffer => {
  const h = crypto.createHmac("sha256", key);
  for (const p of parts) h.update(p);
  return h.digest();
};

/** Decodes a hex signature; null when it is not hex of the right length. */
export function fromHex(s: string, bytes = 32): Buffer | null {
  if (s.length !== bytes * 2 || !/^[0-9a-fA-F]+$/.test(s)) return null;
  return Buffer.from(s, "hex");
}

/** Decodes a base64 (or base64url) signature; null when it is not. */
export function fromBase64(s: string): Buffer | null {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(s)) return null;
  const b = Buffer.from(s, "base64");
  return b.length ? b : null;
}

/**
 * Checks a Unix timestamp (seconds) against now, both ways: too old is a replay, too far ahead is a clock
 * problem or a forged header. Returns null when it is within the tolerance.
 */
export function checkTimestamp(raw: string | undefined, nowMs: number, toleranceSeconds: number): VerifyResult | null {
  if (raw === undefined || raw === "") return fail("missing_signature", "The timestamp header is missing");
  if (!/^\d{1,12}$/.test(raw)) return fail("timestamp_invalid", "The timestamp is not a Unix time in seconds");
  const skew = nowMs / 1000 - Number(raw);
  if (skew > toleranceSeconds) return fail("timestamp_expired", `The timestamp is more than ${toleranceSeconds} s old`);
  if (skew < -toleranceSeconds) return fail("timestamp_in_future", `The timestamp is more than ${toleranceSeconds} s in the future`);
  return null;
}

/** True when `candidate` equals the expected signature computed with any of the secrets. */
export function anySecret(secrets: string[], expected: (secret: string) => Buffer | null, candidates: Buffer[]): boolean {
  let match = false;
  // Every secret and candidate is compared (no early exit), so the time taken does not say which matched.
  for (const s of secrets) {
    const want = expected(s);
    if (!want) continue;
    for (const c of candidates) if (safeEqual(want, c)) match = true;
  }
  return match;
}
