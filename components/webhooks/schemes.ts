import type { WebhookScheme } from "@/lib/schemas/webhooks";

export { senderIssuesSecret, takesEncoding, takesHeader, takesTolerance } from "@/lib/webhooks/form-state";

// What the console says about each authentication scheme: its name, what the sender sends, and which of the
// scheme's settings apply (the others are fixed by the sender).

export const SCHEME_LABELS: Record<WebhookScheme, string> = {
  "secret-header": "Secret header",
  "hmac-sha256": "HMAC-SHA256",
  "standard-webhooks": "Standard Webhooks",
  github: "GitHub",
  stripe: "Stripe",
  slack: "Slack",
};

export const SCHEME_DESCRIPTIONS: Record<WebhookScheme, string> = {
  "secret-header": "The sender puts the shared secret in a header (X-Webhook-Secret unless you name another).",
  "hmac-sha256": "The sender signs the raw body with HMAC-SHA256 and sends the signature in a header (hex or base64).",
  "standard-webhooks":
    "webhook-id, webhook-timestamp and webhook-signature headers (standardwebhooks.com), used by Svix, OpenAI, Resend and others.",
  github: "X-Hub-Signature-256 over the body; X-GitHub-Delivery deduplicates redeliveries.",
  stripe: "Stripe-Signature with a timestamp; Stripe issues the signing secret (whsec_…).",
  slack: "Slack's v0 signature with a five-minute window; the URL verification challenge is answered for you.",
};

export const DEFAULT_HEADER: Partial<Record<WebhookScheme, string>> = {
  "secret-header": "X-Webhook-Secret",
  "hmac-sha256": "X-Signature",
};
