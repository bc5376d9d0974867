import { z, idSchema, listQuerySchema, textSchema } from "./zod";

export const MODEL_FEATURES = [
  "reasoning",
  "streaming",
  "structured-output",
  "function-calling",
  "fine-tuning",
  "realtime",
  "predicted-outputs",
] as const;
export const modelFeatureSchema = z.enum(MODEL_FEATURES);
export type ModelFeature = z.infer<typeof modelFeatureSchema>;

export const FEATURE_LABELS: Record<ModelFeature, string> = {
  reasoning: "Reasoning",
  streaming: "Streaming",
  "structured-output": "Structured output",
  "function-calling": "Function calling",
  "fine-tuning": "Fine-tuning",
  realtime: "Realtime",
  "predicted-outputs": "Predicted outputs",
};

export const MODALITIES = ["text", "image", "audio"] as const;
export const modalitySchema = z.enum(MODALITIES);
export type Modality = z.infer<typeof modalitySchema>;

export const MODEL_STATUSES = ["active", "inactive"] as const;
export const modelStatusSchema = z.enum(MODEL_STATUSES);
export type ModelStatus = z.infer<typeof modelStatusSchema>;

/** Default context at or above this many tokens shows the cost warning (the seed's anti-pattern). */
export const LARGE_CONTEXT_TOKENS = 128_000;

export const modelNameSchema = textSchema({ max: 128 })
  .min(1, "Required")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$/, "Use letters, digits and . _ : / @ + - (no spaces)");

/**
 * Money in USD per million tokens, kept as a decimal string with at most 6 places: a value with more places is
 * refused rather than silently rounded. Accepts a number (config files) or a string (forms).
 */
export const moneySchema = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const s = typeof v === "number" ? (Number.isFinite(v) ? v.toFixed(10).replace(/\.?0+$/, "") : "x") : v.trim();
  if (s === "") {
    ctx.addIssue({ code: "custom", message: "Required" });
    return z.NEVER;
  }
  if (!/^\d{1,12}(\.\d{1,6})?$/.test(s)) {
    ctx.addIssue({
      code: "custom",
      message: /^\d+\.\d{7,}$/.test(s) ? "Use at most 6 decimal places" : "Enter a price of 0 or more in USD, e.g. 2.5",
    });
    return z.NEVER;
  }
  return s;
});

const tokens = (what: string) =>
  z
    .number({ error: (i) => (i.input === undefined ? "Required" : `${what} must be a whole number of tokens`) })
    .int(`${what} must be a whole number of tokens`)
    .positive(`${what} must be at least 1`)
    .max(100_000_000, `${what} must be at most 100,000,000`);

export const pricingSchema = z.strictObject({
  inputPerMillion: moneySchema,
  outputPerMillion: moneySchema,
  cachedInputPerMillion: moneySchema.nullish(),
});
export type PricingInput = z.infer<typeof pricingSchema>;

const unique = <T extends z.ZodType>(item: T) =>
  z.array(item).refine((a) => new Set(a as unknown[]).size === a.length, "Each value may appear once");

/** The properties of a logical model; shared by the console form, the admin API and the config file. */
export const modelFields = {
  name: modelNameSchema,
  provider: textSchema({ max: 64 }).optional(),
  status: modelStatusSchema.optional(),
  description: textSchema({ max: 500, multiline: true }).optional(),
  features: unique(modelFeatureSchema).optional(),
  modalities: unique(modalitySchema).min(1, "Choose at least one modality").optional(),
  contextWindow: tokens("Context window"),
  maxOutputTokens: tokens("Maximum output"),
  defaultContext: tokens("Default context").nullish(),
  defaultMaxOutput: tokens("Default maximum output").nullish(),
};

export interface TokenLimits {
  contextWindow?: number | null;
  maxOutputTokens?: number | null;
  defaultContext?: number | null;
  defaultMaxOutput?: number | null;
}

/** Defaults may not exceed the maxima, and a model cannot write more than its window holds. */
export function tokenLimitProblems(v: TokenLimits): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  if (v.contextWindow && v.maxOutputTokens && v.maxOutputTokens > v.contextWindow) {
    out.push({ path: "maxOutputTokens", message: "Must not exceed the context window" });
  }
  if (v.contextWindow && v.defaultContext && v.defaultContext > v.contextWindow) {
    out.push({ path: "defaultContext", message: `Must not exceed the context window (${v.contextWindow.toLocaleString("en")})` });
  }
  if (v.maxOutputTokens && v.defaultMaxOutput && v.defaultMaxOutput > v.maxOutputTokens) {
    out.push({ path: "defaultMaxOutput", message: `Must not exceed the maximum output (${v.maxOutputTokens.toLocaleString("en")})` });
  }
  return out;
}

const checkLimits = (v: TokenLimits, ctx: z.RefinementCtx) => {
  for (const p of tokenLimitProblems(v)) ctx.addIssue({ code: "custom", path: [p.path], message: p.message });
};

export const ROUTE_LIMIT = 20;

export const TIMEOUT_MIN_MS = 100;
export const TIMEOUT_MAX_MS = 3_600_000;
const timeoutMs = z
  .number()
  .int("Must be a whole number of milliseconds")
  .min(TIMEOUT_MIN_MS, `Must be between ${TIMEOUT_MIN_MS} and ${TIMEOUT_MAX_MS.toLocaleString("en")} ms`)
  .max(TIMEOUT_MAX_MS, `Must be between ${TIMEOUT_MIN_MS} and ${TIMEOUT_MAX_MS.toLocaleString("en")} ms`)
  .nullish();

/**
 * A route's upstream timeouts in milliseconds; an absent or null field uses the gateway's default (connect 10 s,
 * first token 60 s, total 600 s). The same shape in the admin API (`routes[].timeouts`) and config files.
 */
export const routeTimeoutsSchema = z
  .strictObject({
    connectMs: timeoutMs.describe("TCP/TLS connect timeout (default 10,000)"),
    firstTokenMs: timeoutMs.describe("Time to the response headers and then to each streamed chunk (default 60,000)"),
    totalMs: timeoutMs.describe("Whole attempt (default 600,000)"),
  })
  .superRefine((t, ctx) => {
    if (t.totalMs != null && t.firstTokenMs != null && t.firstTokenMs > t.totalMs) {
      ctx.addIssue({ code: "custom", path: ["firstTokenMs"], message: "Must not exceed the total timeout" });
    }
    if (t.totalMs != null && t.connectMs != null && t.connectMs > t.totalMs) {
      ctx.addIssue({ code: "custom", path: ["connectMs"], message: "Must not exceed the total timeout" });
    }
  });
export type RouteTimeoutsInput = z.infer<typeof routeTimeoutsSchema>;

export const routeInputSchema = z
  .strictObject({
    platformId: idSchema.nullish(),
    deploymentId: idSchema.nullish(),
    /** The vendor's model id or the Azure deployment name; empty means the logical model's name. */
    upstreamModel: textSchema({ max: 200 }).default(""),
    priority: z.number().int("Must be a whole number").min(1, "Must be 1 or more").max(100, "Must be at most 100").default(1),
    weight: z.number().int("Must be a whole number").min(1, "Must be between 1 and 100").max(100, "Must be between 1 and 100").default(1),
    enabled: z.boolean().default(true),
    timeouts: routeTimeoutsSchema.nullish(),
  })
  .superRefine((r, ctx) => {
    if (!!r.platformId === !!r.deploymentId) {
      ctx.addIssue({ code: "custom", path: ["platformId"], message: "Choose a platform or a deployment (exactly one)" });
    }
  });
export type RouteInput = z.infer<typeof routeInputSchema>;

export const setRoutesSchema = z.strictObject({ routes: z.array(routeInputSchema).max(ROUTE_LIMIT, `At most ${ROUTE_LIMIT} routes`) });
export type SetRoutesInput = z.infer<typeof setRoutesSchema>;

const effectiveFromSchema = z.coerce
  .date({ error: "Enter a valid date and time" })
  .describe("ISO 8601 date-time, e.g. 2025-07-01T00:00:00Z");

export const createModelSchema = z
  .strictObject({
    ...modelFields,
    pricing: pricingSchema.optional(),
    /** When the first price takes effect; default now. */
    effectiveFrom: effectiveFromSchema.optional(),
    routes: z.array(routeInputSchema).max(ROUTE_LIMIT, `At most ${ROUTE_LIMIT} routes`).optional(),
  })
  .superRefine(checkLimits);
export type CreateModelInput = z.infer<typeof createModelSchema>;

/** Every field optional; limits are checked again against the stored values when the model is updated. */
export const updateModelSchema = z
  .strictObject({
    name: modelFields.name.optional(),
    provider: modelFields.provider,
    status: modelFields.status,
    description: modelFields.description,
    features: modelFields.features,
    modalities: modelFields.modalities,
    contextWindow: modelFields.contextWindow.optional(),
    maxOutputTokens: modelFields.maxOutputTokens.optional(),
    defaultContext: modelFields.defaultContext,
    defaultMaxOutput: modelFields.defaultMaxOutput,
  })
  .superRefine(checkLimits);
export type UpdateModelInput = z.infer<typeof updateModelSchema>;

export const setModelStatusSchema = z.strictObject({ status: modelStatusSchema });

export const addPriceSchema = z.strictObject({
  ...pricingSchema.shape,
  /** When the price takes effect; default now. A past date corrects history, a future one schedules a change. */
  effectiveFrom: effectiveFromSchema.optional(),
  note: textSchema({ max: 200 }).optional(),
});
export type AddPriceInput = z.infer<typeof addPriceSchema>;

export const MODEL_SORTS = ["name", "input-asc", "input-desc", "output-asc", "output-desc"] as const;
export const modelSortSchema = z.enum(MODEL_SORTS);
export type ModelSort = z.infer<typeof modelSortSchema>;

export const modelQuerySchema = listQuerySchema.extend({
  provider: z.string().trim().max(64).optional(),
  status: modelStatusSchema.optional(),
  feature: modelFeatureSchema.optional(),
  sort: modelSortSchema.default("name"),
});
export type ModelQuery = z.infer<typeof modelQuerySchema>;

export const deleteModelQuerySchema = z.object({
  /** Confirms deleting the model together with what is removed with it (its routes and price history). */
  force: z.enum(["true", "false"]).optional(),
});

export const catalogQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  provider: z.string().trim().max(64).optional(),
});

export const modelIdParam = idSchema;

// Read shapes for the OpenAPI document (lib/models/model-dto.ts builds them). Prices: 6-place decimal strings.
const decimalString = z
  .string()
  .regex(/^\d+\.\d{6}$/)
  .describe("USD per million tokens, 6 decimal places");

export const priceDtoSchema = z.object({
  id: z.string(),
  effectiveFrom: z.iso.datetime(),
  inputPerMillion: decimalString,
  outputPerMillion: decimalString,
  cachedInputPerMillion: decimalString.nullable(),
  currency: z.string(),
  note: z.string(),
  createdAt: z.iso.datetime(),
});

export const routeDtoSchema = z.object({
  id: z.string(),
  position: z.number().int().describe("1-based place in the failover chain"),
  targetType: z.enum(["platform", "deployment"]),
  platformId: z.string().nullable(),
  deploymentId: z.string().nullable(),
  targetName: z.string(),
  targetKind: z.string().describe("Platform vendor or deployment engine"),
  targetActive: z.boolean().describe("A disabled platform is skipped by the gateway"),
  upstreamModel: z.string().describe("As stored; empty means the logical model's name"),
  effectiveUpstreamModel: z.string().describe("What is sent upstream"),
  priority: z.number().int(),
  weight: z.number().int(),
  enabled: z.boolean(),
  timeouts: z
    .object({ connectMs: z.number().int().nullable(), firstTokenMs: z.number().int().nullable(), totalMs: z.number().int().nullable() })
    .describe("Milliseconds; null uses the gateway default"),
});

export const modelDtoSchema = z.object({
  id: z.string(),
  name: z.string(),
  provider: z.string(),
  status: modelStatusSchema,
  description: z.string(),
  features: z.array(modelFeatureSchema),
  modalities: z.array(modalitySchema),
  contextWindow: z.number().int().nullable(),
  maxOutputTokens: z.number().int().nullable(),
  defaultContext: z.number().int().nullable(),
  defaultMaxOutput: z.number().int().nullable(),
  source: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  currentPrice: priceDtoSchema.nullable(),
  routeCount: z.number().int(),
});

/**
 * Something that depends on a model. `removedWithModel`: deleted together with it once the admin confirms (its
 * routes); otherwise the deletion is refused while it exists (e.g. a workspace key that allows the model).
 */
export const modelDependentSchema = z.object({ kind: z.string(), id: z.string(), label: z.string(), removedWithModel: z.boolean() });

export const modelDetailDtoSchema = modelDtoSchema.extend({
  prices: z.array(priceDtoSchema).describe("Newest first"),
  routes: z.array(routeDtoSchema).describe("In failover order"),
  dependents: z.array(modelDependentSchema).describe("What a deletion affects"),
});

export const routeTargetDtoSchema = z.object({
  type: z.enum(["platform", "deployment"]),
  id: z.string(),
  name: z.string(),
  kind: z.string().describe("Platform vendor or deployment engine"),
  internal: z.boolean(),
  active: z.boolean().describe("Disabled platforms are listed (existing routes name them) but refused for new routes"),
});

export const catalogEntryDtoSchema = z.object({
  id: z.string(),
  label: z.string(),
  provider: z.string(),
  vendor: z.string(),
  contextWindow: z.number().int(),
  maxOutputTokens: z.number().int(),
  inputPerMillion: z.number(),
  outputPerMillion: z.number(),
  cachedInputPerMillion: z.number().optional(),
  features: z.array(modelFeatureSchema),
  modalities: z.array(modalitySchema),
  note: z.string().optional(),
});
