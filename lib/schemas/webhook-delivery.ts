import { z, idSchema } from "./zod";

// How verified webhook events reach their worker or workflow: the pull queue's inputs and answers
// (GET /api/v1/events, POST /api/v1/events/{id}/ack|nack|result) and a target's delivery settings (its URL for
// signed forwards), shared by the console, the admin API and the config file.

export const MAX_WAIT_SECONDS = 30;
export const MAX_VISIBILITY_SECONDS = 12 * 3600;

const intParam = (name: string, min: number, max: number, dflt: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${name} must be a whole number of ${name === "limit" ? "events" : "seconds"}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${name} must be at least ${min}`).max(max, `${name} must be at most ${max}`))
    .optional()
    .transform((v) => v ?? dflt);

/** `GET /api/v1/events?worker=<id|name>` or `?workflow=`, with `wait`, `limit` and `visibility`. */
export const eventQueueQuerySchema = z
  .strictObject({
    worker: z.string().trim().min(1, "worker must not be empty").max(200).optional(),
    workflow: z.string().trim().min(1, "workflow must not be empty").max(200).optional(),
    wait: intParam("wait", 0, MAX_WAIT_SECONDS, 0),
    limit: intParam("limit", 1, 100, 10),
    visibility: intParam("visibility", 1, MAX_VISIBILITY_SECONDS, 30),
  })
  .refine((q) => (q.worker === undefined) !== (q.workflow === undefined), "Give exactly one of worker= or workflow=");
export type EventQueueQuery = z.output<typeof eventQueueQuerySchema>;

/** `POST /api/v1/events/{id}/result`: what the sync-mode sender is answered. */
export const eventResultSchema = z.strictObject({
  status: z.number().int().min(200, "status must be 200-599").max(599, "status must be 200-599").default(200),
  // The request was parsed from JSON, so any value present is JSON; only a missing one is refused.
  body: z.unknown().refine((v) => v !== undefined, "Required"),
});
export type EventResultInput = z.output<typeof eventResultSchema>;

export const queuedEventSchema = z.object({
  id: z.string(),
  endpointId: z.string(),
  endpoint: z.string().describe("The endpoint's name"),
  receivedAt: z.iso.datetime(),
  contentType: z.string(),
  body: z.unknown().describe("The JSON value the sender posted, or the raw text of a non-JSON body"),
  headers: z.record(z.string(), z.string()),
  receiveCount: z.number().int(),
  mode: z.enum(["async", "sync"]),
  replayOfId: z.string().nullable(),
});
export type QueuedEvent = z.output<typeof queuedEventSchema>;

// ---- a worker's or workflow's delivery settings

export const deliveryUrlSchema = z
  .string()
  .trim()
  .min(1, "Required")
  .max(2000, "Must be at most 2000 characters")
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "http:" || u.protocol === "https:") && !u.username && !u.password;
    } catch {
      return false;
    }
  }, "Must be an http(s) URL without credentials");

/** Fields a worker's or workflow's create and update accept; null removes the URL (events are then pull-only). */
export const deliverySettingsSchema = z.object({
  deliveryUrl: deliveryUrlSchema.nullable().optional(),
  /** An Admin lets the forwards reach private addresses. */
  deliveryInternal: z.boolean().optional(),
});
export type DeliverySettingsInput = z.output<typeof deliverySettingsSchema>;

export const deliveryDtoSchema = z.object({
  url: z.string().nullable(),
  internal: z.boolean(),
  secretSet: z.boolean().describe("A signing secret exists (its value is shown once, when generated)"),
  secretMask: z.string().nullable(),
});
export type DeliveryDto = z.output<typeof deliveryDtoSchema>;

export const deliverySecretDtoSchema = z.object({
  secret: z.string().describe("The Standard Webhooks signing secret (whsec_...): shown this once"),
});

export const targetRefSchema = z.object({ targetType: z.enum(["worker", "workflow"]), targetId: idSchema });
