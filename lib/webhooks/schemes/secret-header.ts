import crypto from "node:crypto";
import { fail, OK, safeEqual, type VerifyInput, type VerifyResult } from "./common";

// The shared secret itself in a header (default X-Webhook-Secret), optionally after a prefix such as "Bearer ".
// Compared as SHA-256 digests, so the comparison is constant-time whatever the lengths.
export const SECRET_HEADER_DEFAULT = "X-Webhook-Secret";

const digest = (s: string) => crypto.createHash("sha256").update(s).digest();

export function verifySecretHeader({ headers, secrets, options }: VerifyInput): VerifyResult {
  const name = (options.header ?? SECRET_HEADER_DEFAULT).toLowerCase();
  const raw = headers[name];
  if (!raw) return fail("missing_signature", `The ${options.header ?? SECRET_HEADER_DEFAULT} header is missing`);
  const prefix = options.prefix ?? "";
  if (prefix && !raw.startsWith(prefix))
    return fail("bad_signature", `The ${options.header ?? SECRET_HEADER_DEFAULT} header does not start with "${prefix}"`);
  const given = digest(raw.slice(prefix.length));
  let match = false;
  for (const s of secrets) if (safeEqual(digest(s), given)) match = true;
  return match ? OK : fail("bad_signature", "The secret does not match");
}
