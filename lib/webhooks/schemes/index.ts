import type { WebhookScheme } from "../../schemas/webhooks";
import { fail, type VerifyInput, type VerifyResult } from "./common";
import { verifyGithub } from "./github";
import { verifyHmacSha256 } from "./hmac-sha256";
import { verifySecretHeader } from "./secret-header";
import { verifySlack } from "./slack";
import { verifyStandardWebhooks } from "./standard-webhooks";
import { verifyStripe } from "./stripe";

export type { VerifyInput, VerifyResult } from "./common";

const VERIFY: Record<WebhookScheme, (input: VerifyInput) => VerifyResult> = {
  "secret-header": verifySecretHeader,
  "hmac-sha256": verifyHmacSha256,
  "standard-webhooks": verifyStandardWebhooks,
  github: verifyGithub,
  stripe: verifyStripe,
  slack: verifySlack,
};

/** Verifies a request against the endpoint's scheme with each of its valid secrets. */
export function verifyWebhook(scheme: WebhookScheme, input: VerifyInput): VerifyResult {
  if (!input.secrets.length) return fail("no_secret", "The endpoint has no valid secret");
  const verify = VERIFY[scheme];
  if (!verify) return fail("bad_signature", `Unknown scheme ${scheme}`);
  return verify(input);
}

const MAX_EXTERNAL_ID = 200;
const clean = (v: unknown): string | null => {
  if (typeof v !== "string" && typeof v !== "number") return null;
  const s = String(v).trim();
  return s && s.length <= MAX_EXTERNAL_ID ? s : null;
};

/**
 * The sender's own event id, which dedupes retries: Standard Webhooks `webhook-id`, GitHub `X-GitHub-Delivery`,
 * Stripe's event `id` (payload), Slack's `event_id` (Events API payloads; slash commands and interactions have
 * none). secret-header and hmac-sha256 senders may send `X-Webhook-Id` or `Idempotency-Key`. null: not deduped.
 */
export function externalEventId(scheme: WebhookScheme, headers: Record<string, string>, payload: unknown): string | null {
  const field = (k: string) =>
    payload && typeof payload === "object" && !Array.isArray(payload) ? (payload as Record<string, unknown>)[k] : undefined;
  switch (scheme) {
    case "standard-webhooks":
      return clean(headers["webhook-id"]);
    case "github":
      return clean(headers["x-github-delivery"]);
    case "stripe":
      return clean(field("id"));
    case "slack":
      return clean(field("event_id"));
    default:
      return clean(headers["x-webhook-id"] ?? headers["idempotency-key"]);
  }
}

/** Headers that carry a secret or a signature for each scheme: their values are masked in the event log. */
export function signatureHeaders(scheme: WebhookScheme, options: { header?: string }): string[] {
  switch (scheme) {
    case "secret-header":
      return [(options.header ?? "X-Webhook-Secret").toLowerCase()];
    case "hmac-sha256":
      return [(options.header ?? "X-Signature").toLowerCase()];
    case "standard-webhooks":
      return ["webhook-signature"];
    case "github":
      return ["x-hub-signature-256", "x-hub-signature"];
    case "stripe":
      return ["stripe-signature"];
    case "slack":
      return ["x-slack-signature"];
  }
}
