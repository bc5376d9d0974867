import {
  anySecret,
  checkTimestamp,
  DEFAULT_TOLERANCE_SECONDS,
  fail,
  fromHex,
  hmac,
  OK,
  type VerifyInput,
  type VerifyResult,
} from "./common";

// Slack: X-Slack-Signature = "v0=" + hex HMAC-SHA256 of `v0:${X-Slack-Request-Timestamp}:${body}` with the app's
// signing secret; requests older than five minutes are refused (and, here, as far ahead).
export function verifySlack({ headers, body, secrets, options, nowMs }: VerifyInput): VerifyResult {
  const raw = headers["x-slack-signature"];
  const ts = headers["x-slack-request-timestamp"];
  if (!raw || !ts) return fail("missing_signature", "The X-Slack-Signature and X-Slack-Request-Timestamp headers are required");
  const stale = checkTimestamp(ts, nowMs, options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
  if (stale) return stale;
  const sig = raw.startsWith("v0=") ? fromHex(raw.slice(3)) : null;
  if (!sig) return fail("bad_signature", 'The X-Slack-Signature header is not "v0=" and 64 hex digits');
  return anySecret(secrets, (s) => hmac(s, `v0:${ts}:`, body), [sig]) ? OK : fail("bad_signature", "The signature does not match the body");
}
