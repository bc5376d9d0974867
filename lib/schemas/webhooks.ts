import { z, idSchema, listQuerySchema, textSchema } from "./zod";

// Incoming webhook endpoints of a workspace (issue 19): one schema per input, shared by the console's dialog,
// the admin API and the `webhooks` section of the configuration file. The DTOs below are the admin API's answers
// (and what the console reads); the ingress and the event queue live in lib/webhooks.

export const WEBHOOK_SCHEMES = ["secret-header", "hmac-sha256", "standard-webhooks", "github", "stripe", "slack"] as const;
export type WebhookScheme = (typeof WEBHOOK_SCHEMES)[number];
export const WEBHOOK_MODES = ["async", "sync"] as const;
export const WEBHOOK_TARGET_TYPES = ["worker", "workflow"] as const;
export const WEBHOOK_DELIVERY_STATUSES = [
  "none",
  "queued",
  "delivering",
  "delivered",
  "acked",
  "completed",
  "failed",
  "dead",
  "timed_out",
] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** Why the ingress refused an event or did not run it (WebhookEventDto.reason), with a label for the event log. */
export const WEBHOOK_REASON_LABELS: Record<string, string> = {
  missing_signature: "Signature header missing",
  bad_signature: "Signature does not match",
  timestamp_invalid: "Timestamp not valid",
  timestamp_expired: "Timestamp too old",
  timestamp_in_future: "Timestamp in the future",
  no_secret: "No valid secret",
  too_large: "Body too large",
  unsupported_content_type: "Not JSON or form data",
  invalid_json: "Malformed JSON",
  too_deep: "JSON nested too deeply",
  endpoint_disabled: "Endpoint disabled",
  url_verification: "Slack URL verification (answered, not run)",
};

export const webhookNameSchema = textSchema({ max: 60 })
  .min(2, "Must be at least 2 characters")
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._:/-]*$/u, "Use letters, digits, spaces and . _ : / -");

const headerNameSchema = z
  .string()
  .trim()
  .min(1, "Required")
  .max(100)
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "Not a valid header name");

/** The non-secret settings of a scheme. Only secret-header and hmac-sha256 take a header; the others are fixed. */
export const webhookOptionsSchema = z.strictObject({
  /** secret-header (default X-Webhook-Secret) and hmac-sha256 (default X-Signature). */
  header: headerNameSchema.optional(),
  /** A prefix before the secret or signature, e.g. "Bearer " or "sha256=". */
  prefix: z
    .string()
    .max(40)
    .regex(/^[^\r\n]*$/, "Must be one line")
    .optional(),
  /** hmac-sha256 signature encoding. */
  encoding: z.enum(["hex", "base64"]).optional(),
  /** Timestamp tolerance (standard-webhooks, stripe, slack): default 300 s. */
  toleranceSeconds: z.number().int().min(10).max(3600).optional(),
});
export type WebhookOptions = z.infer<typeof webhookOptionsSchema>;

/** A worker or a workflow of the same workspace, by id or by name. */
export const webhookTargetSchema = z.strictObject({
  type: z.enum(WEBHOOK_TARGET_TYPES),
  id: textSchema({ max: 100 }).min(1, "Required"),
});

const redactPathSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$*-]+)*$/, "Use dotted field paths, e.g. data.card.number");

export const createWebhookSchema = z.strictObject({
  name: webhookNameSchema,
  description: textSchema({ max: 500 }).default(""),
  scheme: z.enum(WEBHOOK_SCHEMES),
  options: webhookOptionsSchema.default({}),
  /**
   * The signing secret. Omitted: Switchboard generates one and answers it once. Given: the sender's own
   * (Stripe's whsec_..., Slack's signing secret, GitHub's webhook secret).
   */
  secret: z.string().min(8, "Must be at least 8 characters").max(512).regex(/^\S+$/, "No spaces").optional(),
  target: webhookTargetSchema,
  mode: z.enum(WEBHOOK_MODES).default("async"),
  syncTimeoutMs: z.number().int().min(1000).max(120_000).default(30_000),
  redactFields: z.array(redactPathSchema).max(50).default([]),
  retentionDays: z.number().int().min(1).max(365).default(30),
  maxBodyBytes: z
    .number()
    .int()
    .min(1024)
    .max(10 * 1024 * 1024)
    .default(1024 * 1024),
  enabled: z.boolean().default(true),
});
export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;

export const updateWebhookSchema = createWebhookSchema
  .omit({ secret: true })
  .partial()
  .extend({
    // z.partial keeps defaults; make every field truly optional.
    description: textSchema({ max: 500 }).optional(),
    options: webhookOptionsSchema.optional(),
    mode: z.enum(WEBHOOK_MODES).optional(),
    syncTimeoutMs: z.number().int().min(1000).max(120_000).optional(),
    redactFields: z.array(redactPathSchema).max(50).optional(),
    retentionDays: z.number().int().min(1).max(365).optional(),
    maxBodyBytes: z
      .number()
      .int()
      .min(1024)
      .max(10 * 1024 * 1024)
      .optional(),
    enabled: z.boolean().optional(),
  });
export type UpdateWebhookInput = z.infer<typeof updateWebhookSchema>;

export const rotateWebhookSecretSchema = z.strictObject({
  /** How long the current secret stays valid next to the new one: default 24 h, 0 ends it now. */
  graceSeconds: z
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .default(86_400),
  /** The new secret when the sender issued it (Stripe, Slack); omitted: generated and answered once. */
  secret: z.string().min(8).max(512).regex(/^\S+$/, "No spaces").optional(),
});

export const webhookListQuerySchema = listQuerySchema.extend({ workspaceId: idSchema });
export const webhookEventListQuerySchema = listQuerySchema.extend({
  verified: z.enum(["true", "false"]).optional(),
  duplicate: z.enum(["true", "false"]).optional(),
  deliveryStatus: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
});

export interface WebhookSecretDto {
  id: string;
  /** The credential's mask, never the value. */
  mask: string;
  createdAt: string;
  /** null: the current secret; otherwise valid until then (rotation grace). */
  expiresAt: string | null;
}

export interface WebhookDto {
  id: string;
  workspaceId: string;
  name: string;
  description: string;
  scheme: WebhookScheme;
  options: WebhookOptions;
  /** The ingress URL path: /api/webhooks/{id}. */
  path: string;
  target: { type: "worker" | "workflow"; id: string; name: string };
  mode: "async" | "sync";
  syncTimeoutMs: number;
  redactFields: string[];
  retentionDays: number;
  maxBodyBytes: number;
  enabled: boolean;
  secrets: WebhookSecretDto[];
  /** Last 24 h: events received, verified, refused. */
  stats: { received: number; verified: number; refused: number; lastEventAt: string | null };
  source: string;
  createdAt: string;
  updatedAt: string;
}

/** Answer of create and rotate-secret: the only time the secret's value is shown (when generated). */
export interface WebhookWithSecretDto extends WebhookDto {
  secret: string | null;
}

export interface WebhookEventDto {
  id: string;
  endpointId: string;
  receivedAt: string;
  externalId: string | null;
  verified: boolean;
  reason: string | null;
  duplicate: boolean;
  responseStatus: number;
  latencyMs: number;
  contentType: string;
  sizeBytes: number;
  /** The payload with the endpoint's redactFields masked (JSON, or form fields as an object). */
  payload: unknown;
  /** In a list answer: the payload's JSON was over 16 KB and left out (payload null); read the single event for it. */
  payloadTruncated: boolean;
  headers: Record<string, string>;
  replayOfId: string | null;
  deliveryStatus: WebhookDeliveryStatus;
  deliveryAttempts: number;
  lastError: string | null;
  deliveredAt: string | null;
  receiveCount: number;
  ackedAt: string | null;
  resultStatus: number | null;
  /** Sync mode: the result the target posted (answered to the sender). */
  result: unknown;
  completedAt: string | null;
}

export const webhookScopeQuerySchema = z.object({ workspaceId: idSchema });

// The answers above as zod schemas, for the admin API's declarations (OpenAPI document and response checks).
const webhookSecretDtoSchema = z.object({
  id: z.string(),
  mask: z.string().describe("The credential's mask, never the value"),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable().describe("null: the current secret; otherwise valid until then (rotation grace)"),
});

export const webhookDtoSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  description: z.string(),
  scheme: z.enum(WEBHOOK_SCHEMES),
  options: webhookOptionsSchema,
  path: z.string().describe("The ingress URL path: /api/webhooks/{id}"),
  target: z.object({ type: z.enum(WEBHOOK_TARGET_TYPES), id: z.string(), name: z.string() }),
  mode: z.enum(WEBHOOK_MODES),
  syncTimeoutMs: z.number().int(),
  redactFields: z.array(z.string()),
  retentionDays: z.number().int(),
  maxBodyBytes: z.number().int(),
  enabled: z.boolean(),
  secrets: z.array(webhookSecretDtoSchema),
  stats: z
    .object({ received: z.number().int(), verified: z.number().int(), refused: z.number().int(), lastEventAt: z.iso.datetime().nullable() })
    .describe("Last 24 h"),
  source: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
}) satisfies z.ZodType<WebhookDto>;

export const webhookWithSecretDtoSchema = webhookDtoSchema.extend({
  secret: z.string().nullable().describe("The generated secret: shown only in this answer (null when the sender's own secret was given)"),
}) satisfies z.ZodType<WebhookWithSecretDto>;

export const webhookPageSchema = z.object({ data: z.array(webhookDtoSchema), nextCursor: z.string().nullable() });

export const webhookEventDtoSchema = z.object({
  id: z.string(),
  endpointId: z.string(),
  receivedAt: z.iso.datetime(),
  externalId: z.string().nullable(),
  verified: z.boolean(),
  reason: z.string().nullable(),
  duplicate: z.boolean(),
  responseStatus: z.number().int(),
  latencyMs: z.number().int(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  payload: z.unknown().describe("The payload with the endpoint's redactFields masked (JSON, or form fields as an object)"),
  payloadTruncated: z
    .boolean()
    .describe("List answers only: the payload's JSON was over 16 KB and left out (payload null); GET the single event for it"),
  headers: z.record(z.string(), z.string()),
  replayOfId: z.string().nullable(),
  deliveryStatus: z.enum(WEBHOOK_DELIVERY_STATUSES),
  deliveryAttempts: z.number().int(),
  lastError: z.string().nullable(),
  deliveredAt: z.iso.datetime().nullable(),
  receiveCount: z.number().int(),
  ackedAt: z.iso.datetime().nullable(),
  resultStatus: z.number().int().nullable(),
  result: z.unknown(),
  completedAt: z.iso.datetime().nullable(),
}) satisfies z.ZodType<WebhookEventDto>;

export const webhookEventPageSchema = z.object({ data: z.array(webhookEventDtoSchema), nextCursor: z.string().nullable() });
export type WebhookEventListQuery = z.infer<typeof webhookEventListQuerySchema>;
export type WebhookListQuery = z.infer<typeof webhookListQuerySchema>;
export type RotateWebhookSecretInput = z.infer<typeof rotateWebhookSecretSchema>;
