import { z, idSchema, listQuerySchema } from "./zod";

// The request log: one UsageRecord per gateway request, read by workspace Admins and Builders.

export const USAGE_OUTCOMES = ["success", "error", "partial", "client_aborted"] as const;
export const STATUS_CLASSES = ["2xx", "4xx", "5xx"] as const;

const optionalText = (max: number) => z.string().trim().min(1).max(max).optional();

/** Filters the request log and the usage reports share (the API's names). */
const usageFilterShape = {
  model: optionalText(200),
  virtualKeyId: optionalText(64),
  userId: optionalText(256),
  agentId: optionalText(256),
  platformId: optionalText(64),
  deploymentId: optionalText(64),
};

/** Each filter by the dimension it filters on (also the console's URL names: ?model=&key=&user=...). */
export const USAGE_FILTER_FIELDS = {
  model: "model",
  key: "virtualKeyId",
  user: "userId",
  agent: "agentId",
  platform: "platformId",
  deployment: "deploymentId",
} as const satisfies Record<string, keyof typeof usageFilterShape>;

export const usageRequestQuerySchema = listQuerySchema.extend({
  workspaceId: idSchema,
  /** An exact HTTP status ("429") or a class ("4xx"). */
  status: z
    .string()
    .trim()
    .regex(/^([1-5]xx|[1-5]\d\d)$/, "Use an HTTP status such as 429, or a class: 2xx, 4xx or 5xx")
    .optional(),
  outcome: z.enum(USAGE_OUTCOMES).optional(),
  ...usageFilterShape,
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

// ---- Dead letters: usage records the database refused, set aside so the rest were written (Admins) ----

export const usageDeadLetterQuerySchema = listQuerySchema.pick({ cursor: true, limit: true }).extend({ workspaceId: idSchema });
export type UsageDeadLetterQuery = z.infer<typeof usageDeadLetterQuerySchema>;

export const usageDeadLetterDtoSchema = z.object({
  id: z.string(),
  requestId: z.string(),
  workspaceId: z.string(),
  at: z.iso.datetime().describe("When the record was set aside"),
  reason: z.string().describe('The database\'s error, "SQLSTATE: message" (e.g. 22021: invalid byte sequence ...)'),
  requestAt: z.iso.datetime().nullable().describe("When the request was made, from the record"),
  model: z.string().nullable(),
  userId: z.string().nullable(),
  agentId: z.string().nullable(),
  status: z.number().int().nullable(),
  costUsd: z.string().nullable(),
  record: z.record(z.string(), z.unknown()).describe("The usage record as the gateway produced it, the refused value included"),
});
export type UsageDeadLetterDto = z.infer<typeof usageDeadLetterDtoSchema>;

// ---- Usage reports (totals per group, time series) and the raw-record retention setting ----

/** The groupings reports offer (each has its own rollup rows; see lib/usage/write.ts). */
export const USAGE_GROUP_BYS = ["workspace", "user", "agent", "model", "platform", "deployment", "key"] as const;
export type UsageGroupBy = (typeof USAGE_GROUP_BYS)[number];
export const USAGE_SORTS = ["cost", "requests", "tokens"] as const;
export const USAGE_BUCKETS = ["auto", "hour", "day"] as const;
export const MAX_REPORT_DAYS = 400;
/** Hour buckets beyond this range would be thousands of points: ask for day buckets instead. */
export const MAX_HOUR_BUCKET_DAYS = 31;
export const DAY_MS = 86_400_000;

const rangeSchema = z.object({
  from: z.coerce.date().optional().describe("Start (inclusive), rounded down to the hour; default: 7 days before `to`"),
  to: z.coerce.date().optional().describe("End (exclusive), rounded up to the hour; default: now"),
});

const reportFilterSchema = rangeSchema.extend({
  groupBy: z.enum(USAGE_GROUP_BYS).default("workspace"),
  /** Omitted: every workspace the caller may read usage of (Admins: those they administer; Builders: theirs). */
  workspaceId: idSchema.optional(),
  ...usageFilterShape,
});

function checkRange(v: { from?: Date; to?: Date }, ctx: z.RefinementCtx) {
  if (v.from && v.to && v.from.getTime() >= v.to.getTime())
    ctx.addIssue({ code: "custom", path: ["from"], message: "Must be before `to`" });
  if (v.from && v.to && v.to.getTime() - v.from.getTime() > MAX_REPORT_DAYS * DAY_MS) {
    ctx.addIssue({ code: "custom", path: ["to"], message: `The range may span at most ${MAX_REPORT_DAYS} days` });
  }
}

export const usageReportQuerySchema = reportFilterSchema
  .extend({
    sort: z
      .enum(USAGE_SORTS)
      .default("cost")
      .describe("Orders the groups (and picks the top `limit`): cost, requests or input+output tokens"),
    limit: z.coerce.number().int().min(1).max(1000).default(50).describe("Top-N groups"),
    format: z.enum(["json", "csv"]).default("json"),
  })
  .superRefine(checkRange);
export type UsageReportQuery = z.infer<typeof usageReportQuerySchema>;

export const usageSeriesQuerySchema = reportFilterSchema
  .extend({
    bucket: z.enum(USAGE_BUCKETS).default("auto").describe("auto: hour for ranges up to 2 days, else day (UTC)"),
    top: z.coerce
      .number()
      .int()
      .min(0)
      .max(20)
      .default(5)
      .describe("Groups (by cost) broken out in the series; the rest are summed as `other`"),
  })
  .superRefine(checkRange)
  .superRefine((v, ctx) => {
    if (v.bucket === "hour" && v.from && v.to && v.to.getTime() - v.from.getTime() > MAX_HOUR_BUCKET_DAYS * DAY_MS) {
      ctx.addIssue({ code: "custom", path: ["bucket"], message: `Hour buckets cover at most ${MAX_HOUR_BUCKET_DAYS} days; use day` });
    }
  });
export type UsageSeriesQuery = z.infer<typeof usageSeriesQuerySchema>;

const sumsShape = {
  requests: z.number().int(),
  errors: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cachedTokens: z.number().int(),
  costUsd: z.string().describe("USD, 8 decimal places, exact"),
};
export const usageSumsSchema = z.object(sumsShape);
export type UsageSums = z.infer<typeof usageSumsSchema>;

export const usageGroupRowSchema = z.object({
  group: z
    .string()
    .describe('The group key: an id (workspace, key, platform, deployment), a name (model) or a user/agent id; "" when absent'),
  label: z.string().describe('A readable name; "(none)" for requests without this attribute'),
  ...sumsShape,
});
export type UsageGroupRow = z.infer<typeof usageGroupRowSchema>;

const reportMeta = {
  source: z
    .enum(["rollups", "records"])
    .describe("records: a filter on another dimension than groupBy, computed from raw records (limited by their retention)"),
  groupBy: z.enum(USAGE_GROUP_BYS),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  workspaceIds: z.array(z.string()).nullable().describe("The workspaces reported on; null: all (instance admins)"),
  retentionDays: z.number().int().nullable().describe("Shortest raw-record retention among those workspaces"),
};

export const usageReportSchema = z.object({
  data: z.array(usageGroupRowSchema),
  nextCursor: z.null(),
  totals: usageSumsSchema.describe("Over every group, not only the top `limit`"),
  groupCount: z.number().int(),
  ...reportMeta,
});
export type UsageReport = z.infer<typeof usageReportSchema>;

const groupPointSchema = z.object({ costUsd: z.string(), requests: z.number().int(), tokens: z.number().int().describe("Input + output") });
export type UsageGroupPoint = z.infer<typeof groupPointSchema>;

export const usageSeriesSchema = z.object({
  bucket: z.enum(["hour", "day"]),
  groups: z.array(z.object({ group: z.string(), label: z.string() })).describe("The top groups by cost, in order"),
  points: z.array(
    usageSumsSchema.extend({
      t: z.iso.datetime().describe("Bucket start (UTC)"),
      byGroup: z.array(groupPointSchema).describe("Per top group, in the order of `groups`"),
      other: groupPointSchema.describe("Every other group together"),
    }),
  ),
  ...reportMeta,
});
export type UsageSeries = z.infer<typeof usageSeriesSchema>;

export const RETENTION_MIN_DAYS = 1;
export const RETENTION_MAX_DAYS = 3650;
export const usageRetentionDaysSchema = z.coerce
  .number()
  .int("Whole days")
  .min(RETENTION_MIN_DAYS, `At least ${RETENTION_MIN_DAYS} day`)
  .max(RETENTION_MAX_DAYS, `At most ${RETENTION_MAX_DAYS} days`);
export const usageSettingsSchema = z.strictObject({ usageRetentionDays: usageRetentionDaysSchema });
export type UsageSettingsInput = z.infer<typeof usageSettingsSchema>;
export const usageSettingsDtoSchema = z.object({ workspaceId: z.string(), usageRetentionDays: z.number().int() });
export type UsageSettingsDto = z.infer<typeof usageSettingsDtoSchema>;
