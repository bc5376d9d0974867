import { idSchema, z } from "./zod";

// A workspace's logging of gateway bodies (Settings > General > Logging card, PATCH /workspaces/{id}/logging).

export const BODY_RETENTION_MIN_DAYS = 1;
export const BODY_RETENTION_MAX_DAYS = 365;

export const workspaceLoggingSchema = z.strictObject({
  /** Store request and response bodies of gateway calls (capped at 256 KB each). */
  storeBodies: z.boolean().optional(),
  /** Days a stored body is kept before the cleanup job deletes it. */
  bodyRetentionDays: z.coerce
    .number({ error: "Enter a number of days" })
    .int("Must be a whole number of days")
    .min(BODY_RETENTION_MIN_DAYS, `Must be between ${BODY_RETENTION_MIN_DAYS} and ${BODY_RETENTION_MAX_DAYS} days`)
    .max(BODY_RETENTION_MAX_DAYS, `Must be between ${BODY_RETENTION_MIN_DAYS} and ${BODY_RETENTION_MAX_DAYS} days`)
    .optional(),
});
export type WorkspaceLoggingInput = z.infer<typeof workspaceLoggingSchema>;

export const workspaceLoggingDtoSchema = z.object({
  workspaceId: z.string(),
  storeBodies: z.boolean(),
  bodyRetentionDays: z.number().int(),
});
export type WorkspaceLoggingDto = z.infer<typeof workspaceLoggingDtoSchema>;

export const requestBodiesQuerySchema = z.object({ workspaceId: idSchema });

export const requestBodiesDtoSchema = z.object({
  /** Whether the workspace stores bodies now. */
  storeBodies: z.boolean(),
  /** The stored bodies of this request, or null (not stored, or deleted after the retention period). */
  bodies: z
    .object({
      at: z.iso.datetime(),
      request: z.string(),
      response: z.string().describe("The JSON answer, or the SSE events as sent"),
      truncated: z.boolean().describe("A side was cut at 256 KB"),
    })
    .nullable(),
});
export type RequestBodiesDto = z.infer<typeof requestBodiesDtoSchema>;
