import { z, idSchema, listQuerySchema } from "./zod";

// The request log: one UsageRecord per gateway request, read by workspace Admins and Builders.

export const USAGE_OUTCOMES = ["success", "error", "partial", "client_aborted"] as const;
export const STATUS_CLASSES = ["2xx", "4xx", "5xx"] as const;

const optionalText = (max: number) => z.string().trim().min(1).max(max).optional();

export const usageRequestQuerySchema = listQuerySchema.extend({
  workspaceId: idSchema,
  /** An exact HTTP status ("429") or a class ("4xx"). */
  status: z
    .string()
    .trim()
    .regex(/^([1-5]xx|[1-5]\d\d)$/, "Use an HTTP status such as 429, or a class: 2xx, 4xx or 5xx")
    .optional(),
  outcome: z.enum(USAGE_OUTCOMES).optional(),
  model: optionalText(200),
  virtualKeyId: optionalText(64),
  userId: optionalText(256),
  agentId: optionalText(256),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});
export type UsageRequestQuery = z.infer<typeof usageRequestQuerySchema>;

export const usageRequestGetQuerySchema = z.object({ workspaceId: idSchema });

const targetRefSchema = z.object({
  type: z.enum(["platform", "deployment"]),
  id: z.string(),
  /** Null when the platform or deployment has been deleted since (show the id). */
  name: z.string().nullable(),
});

export const usageRequestDtoSchema = z.object({
  id: z.string(),
  requestId: z.string(),
  at: z.iso.datetime(),
  workspaceId: z.string(),
  endpoint: z.string(),
  model: z.string(),
  modelId: z.string().nullable(),
  status: z.number().int(),
  outcome: z.enum(USAGE_OUTCOMES),
  errorCode: z.string().nullable(),
  key: z
    .object({ id: z.string(), name: z.string().nullable(), prefix: z.string().nullable() })
    .nullable()
    .describe("The workspace key; name and prefix are null when the key has been deleted"),
  userId: z.string().nullable(),
  agentId: z.string().nullable(),
  servedBy: targetRefSchema.nullable(),
  upstreamModel: z.string().nullable(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cachedTokens: z.number().int(),
  estimated: z.boolean().describe("Tokens were counted by Switchboard because the upstream reported none"),
  costUsd: z.string().describe("USD, 8 decimal places"),
  latencyMs: z.number().int(),
  ttftMs: z.number().int().nullable(),
  streamed: z.boolean(),
  attemptCount: z.number().int(),
});
export type UsageRequestDto = z.infer<typeof usageRequestDtoSchema>;

export const attemptDtoSchema = z.object({
  targetType: z.enum(["platform", "deployment"]),
  targetId: z.string(),
  /** The current name, or the name recorded with the request when the target is gone. */
  targetName: z.string(),
  targetDeleted: z.boolean(),
  upstreamModel: z.string(),
  via: z.string().describe("Platform key id or deployment instance id"),
  viaLabel: z.string().nullable().describe("The key's description and mask, or the instance URL; null when it no longer exists"),
  status: z.number().int().nullable(),
  error: z.string().nullable(),
  latencyMs: z.number(),
});
export type AttemptDto = z.infer<typeof attemptDtoSchema>;

export const usageRequestDetailDtoSchema = usageRequestDtoSchema.extend({ attempts: z.array(attemptDtoSchema) });
export type UsageRequestDetailDto = z.infer<typeof usageRequestDetailDtoSchema>;
