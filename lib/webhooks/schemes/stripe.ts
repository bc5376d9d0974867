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

// Stripe: Stripe-Signature = "t=<unix>,v1=<hex>[,v1=<hex>...][,v0=...]"; v1 is the hex HMAC-SHA256 of
// `${t}.${body}` keyed with the endpoint secret (whsec_..., used as is). Tolerance default 300 s, both ways.
export function verifyStripe({ headers, body, secrets, options, nowMs }: VerifyInput): VerifyResult {
  const raw = headers["stripe-signature"];
  if (!raw) return fail("missing_signature", "The Stripe-Signature header is missing");
  let t: string | undefined;
  const v1: Buffer[] = [];
  for (const item of raw.split(",")) {
    const eq = item.indexOf("=");
    if (eq < 0) continue;
    const k = item.slice(0, eq).trim();
    const v = item.slice(eq + 1).trim();
    if (k === "t") t = v;
    else if (k === "v1") {
      const sig = fromHex(v);
      if (sig) v1.push(sig);
    }
  }
  if (t === undefined) return fail("timestamp_invalid", "The Stripe-Signature header has no t= timestamp");
  const stale = checkTimestamp(t, nowMs, options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
  if (stale) return stale;
  if (!v1.length) return fail("missing_signature", "The Stripe-Signature header has no v1 signature");
  return anySecret(secrets, (s) => hmac(s, `${t}.`, body), v1) ? OK : fail("bad_signature", "No v1 signature matches the body");
}
