import { anySecret, fail, fromBase64, fromHex, hmac, OK, type VerifyInput, type VerifyResult } from "./common";

// A generic HMAC-SHA256 of the raw body with the secret as key, in a header (default X-Signature) after an
// optional prefix (e.g. "sha256="), hex (default) or base64. Several signatures may be sent comma-separated.
export const HMAC_HEADER_DEFAULT = "X-Signature";

export function verifyHmacSha256({ headers, body, secrets, options }: VerifyInput): VerifyResult {
  const label = options.header ?? HMAC_HEADER_DEFAULT;
  const raw = headers[label.toLowerCase()];
  if (!raw) return fail("missing_signature", `The ${label} header is missing`);
  const prefix = options.prefix ?? "";
  const encoding = options.encoding ?? "hex";
  const candidates: Buffer[] = [];
  for (const part of raw.split(",")) {
    const p = part.trim();
    if (prefix && !p.startsWith(prefix)) continue;
    const value = p.slice(prefix.length);
    const decoded = encoding === "hex" ? fromHex(value) : fromBase64(value);
    if (decoded) candidates.push(decoded);
  }
  if (!candidates.length)
    return fail("bad_signature", `The ${label} header holds no ${encoding} signature${prefix ? ` after "${prefix}"` : ""}`);
  return anySecret(secrets, (s) => hmac(s, body), candidates) ? OK : fail("bad_signature", "The signature does not match the body");
}
