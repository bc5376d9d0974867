import {
  anySecret,
  checkTimestamp,
  DEFAULT_TOLERANCE_SECONDS,
  fail,
  fromBase64,
  hmac,
  OK,
  type VerifyInput,
  type VerifyResult,
} from "./common";

// Standard Webhooks (standardwebhooks.com, the `standardwebhooks` package's scheme): webhook-id, webhook-timestamp
// and webhook-signature ("v1,<base64>" entries separated by spaces, one per signing secret); the signed content
// is `${id}.${timestamp}.${body}` and the key the base64 after `whsec_`.

/** The HMAC key of a Standard Webhooks secret (whsec_ + base64), or null when it is not base64. */
export function standardWebhooksKey(secret: string): Buffer | null {
  const b64 = secret.startsWith("whsec_") ? secret.slice(6) : secret;
  return fromBase64(b64);
}

export function verifyStandardWebhooks({ headers, body, secrets, options, nowMs }: VerifyInput): VerifyResult {
  const id = headers["webhook-id"];
  const signature = headers["webhook-signature"];
  const timestamp = headers["webhook-timestamp"];
  if (!id || !signature || !timestamp)
    return fail("missing_signature", "The webhook-id, webhook-timestamp and webhook-signature headers are required");
  const stale = checkTimestamp(timestamp, nowMs, options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
  if (stale) return stale;
  const candidates: Buffer[] = [];
  for (const entry of signature.split(" ")) {
    const [version, sig] = entry.split(",", 2);
    if (version !== "v1" || !sig) continue;
    const decoded = fromBase64(sig);
    if (decoded) candidates.push(decoded);
  }
  if (!candidates.length) return fail("bad_signature", "The webhook-signature header holds no v1 signature");
  const prefix = `${id}.${timestamp}.`;
  const match = anySecret(
    secrets,
    (s) => {
      const key = standardWebhooksKey(s);
      return key ? hmac(key, prefix, body) : null;
    },
    candidates,
  );
  return match ? OK : fail("bad_signature", "No signature matches the body");
}
