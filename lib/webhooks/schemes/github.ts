import { anySecret, fail, fromHex, hmac, OK, type VerifyInput, type VerifyResult } from "./common";

// GitHub: X-Hub-Signature-256 = "sha256=" + hex HMAC-SHA256 of the raw body with the webhook secret. GitHub sends no
// timestamp; X-GitHub-Delivery (a GUID per delivery, kept on redeliveries) is the event id that dedupes.
export function verifyGithub({ headers, body, secrets }: VerifyInput): VerifyResult {
  const raw = headers["x-hub-signature-256"];
  if (!raw) return fail("missing_signature", "The X-Hub-Signature-256 header is missing");
  const sig = raw.startsWith("sha256=") ? fromHex(raw.slice(7)) : null;
  if (!sig) return fail("bad_signature", 'The X-Hub-Signature-256 header is not "sha256=" and 64 hex digits');
  return anySecret(secrets, (s) => hmac(s, body), [sig]) ? OK : fail("bad_signature", "The signature does not match the body");
}
