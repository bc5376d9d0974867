import { z, listQuerySchema, httpUrlSchema, textSchema } from "./zod";

export const DEPLOYMENT_ENGINES = ["vllm", "tgi", "sglang", "lmdeploy", "other"] as const;
export const ENGINE_LABELS: Record<(typeof DEPLOYMENT_ENGINES)[number], string> = {
  vllm: "vLLM",
  tgi: "TGI",
  sglang: "SGLang",
  lmdeploy: "LMDeploy",
  other: "Other (OpenAI-compatible)",
};
export const engineSchema = z.enum(DEPLOYMENT_ENGINES);
export type Engine = z.infer<typeof engineSchema>;

export const DEPLOYMENT_STRATEGIES = ["round-robin", "weighted", "least-inflight"] as const;
export const STRATEGY_LABELS: Record<(typeof DEPLOYMENT_STRATEGIES)[number], string> = {
  "round-robin": "Round robin",
  weighted: "Weighted",
  "least-inflight": "Least in-flight",
};
export const strategySchema = z.enum(DEPLOYMENT_STRATEGIES);
export type Strategy = z.infer<typeof strategySchema>;

export const INSTANCE_STATES = ["unknown", "healthy", "unhealthy"] as const;
export type InstanceState = (typeof INSTANCE_STATES)[number];

export const deploymentNameSchema = textSchema({ max: 80 })
  .min(2, "Must be at least 2 characters")
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._:-]*$/u, "Use letters, digits, spaces and . _ : -");

const int = (min: number, max: number) =>
  z.number("Must be a number").int("Must be a whole number").min(min, `Must be at least ${min}`).max(max, `Must be at most ${max}`);

// Field schemas without defaults, so partial (update) schemas leave an omitted field alone.
const health = {
  intervalSeconds: int(1, 3600),
  path: z
    .string()
    .trim()
    .max(200, "Must be at most 200 characters")
    .regex(/^\/[^\s]*$/, "Must start with / (relative to the instance URL, e.g. /models)"),
  timeoutMs: int(100, 60_000),
  unhealthyAfter: int(1, 20),
  healthyAfter: int(1, 20),
};

export const HEALTH_DEFAULTS = { intervalSeconds: 30, path: "/models", timeoutMs: 5000, unhealthyAfter: 3, healthyAfter: 2 } as const;

export const healthCheckSchema = z.strictObject({
  intervalSeconds: health.intervalSeconds.default(HEALTH_DEFAULTS.intervalSeconds),
  path: health.path.default(HEALTH_DEFAULTS.path),
  timeoutMs: health.timeoutMs.default(HEALTH_DEFAULTS.timeoutMs),
  unhealthyAfter: health.unhealthyAfter.default(HEALTH_DEFAULTS.unhealthyAfter),
  healthyAfter: health.healthyAfter.default(HEALTH_DEFAULTS.healthyAfter),
});
export type HealthCheckSettings = z.infer<typeof healthCheckSchema>;

/** Syntax only; whether the address may be reached is checked by the domain (it depends on `internal`). */
export const instanceUrlSchema = httpUrlSchema({ max: 2000, message: "Must be an http(s) URL, e.g. http://10.0.0.5:8000/v1" });

const instance = {
  url: instanceUrlSchema,
  replicas: int(1, 1024),
  gpu: textSchema({ max: 120 }),
  weight: int(1, 100),
  enabled: z.boolean(),
};

export const instanceInputSchema = z.strictObject({
  url: instance.url,
  replicas: instance.replicas.default(1),
  gpu: instance.gpu.default(""),
  weight: instance.weight.default(1),
  enabled: instance.enabled.default(true),
});
export type InstanceInput = z.infer<typeof instanceInputSchema>;

export const updateInstanceSchema = z.strictObject({
  url: instance.url.optional(),
  replicas: instance.replicas.optional(),
  gpu: instance.gpu.optional(),
  weight: instance.weight.optional(),
  enabled: instance.enabled.optional(),
});
export type UpdateInstanceInput = z.infer<typeof updateInstanceSchema>;

const deployment = {
  engine: engineSchema,
  /** The model id the engine serves (what GET /v1/models lists), e.g. deepseek-ai/DeepSeek-V3. */
  model: textSchema({ max: 200 }),
  strategy: strategySchema,
  internal: z.boolean(),
  notes: textSchema({ max: 2000, multiline: true }),
};

/** One deployment: the console's form, POST /api/admin/deployments and an item of the config file's `deployments:`. */
export const createDeploymentSchema = z
  .strictObject({
    name: deploymentNameSchema,
    engine: deployment.engine.default("vllm"),
    model: deployment.model.default(""),
    strategy: deployment.strategy.default("round-robin"),
    internal: deployment.internal.default(false),
    healthCheck: healthCheckSchema.default({ ...HEALTH_DEFAULTS }),
    notes: deployment.notes.default(""),
    instances: z.array(instanceInputSchema).max(100, "At most 100 instances").default([]),
  })
  .superRefine((d, ctx) => {
    const seen = new Map<string, number>();
    d.instances.forEach((inst, i) => {
      const first = seen.get(inst.url.toLowerCase());
      if (first !== undefined)
        ctx.addIssue({ code: "custom", path: ["instances", i, "url"], message: `Same URL as instance ${first + 1}` });
      else seen.set(inst.url.toLowerCase(), i);
    });
  });
export type CreateDeploymentInput = z.infer<typeof createDeploymentSchema>;

export const updateDeploymentSchema = z.strictObject({
  name: deploymentNameSchema.optional(),
  engine: deployment.engine.optional(),
  model: deployment.model.optional(),
  strategy: deployment.strategy.optional(),
  internal: deployment.internal.optional(),
  notes: deployment.notes.optional(),
  healthCheck: z
    .strictObject({
      intervalSeconds: health.intervalSeconds.optional(),
      path: health.path.optional(),
      timeoutMs: health.timeoutMs.optional(),
      unhealthyAfter: health.unhealthyAfter.optional(),
      healthyAfter: health.healthyAfter.optional(),
    })
    .optional(),
});
export type UpdateDeploymentInput = z.infer<typeof updateDeploymentSchema>;

export const deploymentQuerySchema = listQuerySchema.extend({ engine: engineSchema.optional() });
export type DeploymentQuery = z.infer<typeof deploymentQuerySchema>;

export const healthHistoryQuerySchema = z.object({
  minutes: z.coerce.number().int().min(1).max(1440).default(60),
  instanceId: z.string().max(64).optional(),
});
export type HealthHistoryQuery = z.infer<typeof healthHistoryQuerySchema>;

export const checkNowSchema = z.strictObject({ instanceId: z.string().max(64).optional() });
export type CheckNowInput = z.infer<typeof checkNowSchema>;

// Read shapes (for the OpenAPI document). No secrets: a deployment holds none.
const instanceDto = z.object({
  id: z.string(),
  url: z.string(),
  replicas: z.number().int(),
  gpu: z.string(),
  weight: z.number().int(),
  enabled: z.boolean(),
  state: z.enum(INSTANCE_STATES),
  consecutiveFailures: z.number().int(),
  consecutiveSuccesses: z.number().int(),
  lastCheckAt: z.iso.datetime().nullable(),
  nextCheckAt: z.iso.datetime(),
  lastLatencyMs: z.number().int().nullable(),
  lastError: z.string().nullable(),
  stateChangedAt: z.iso.datetime().nullable(),
});
export const instanceDtoSchema = instanceDto;

export const deploymentDtoSchema = z.object({
  id: z.string(),
  name: z.string(),
  engine: engineSchema,
  model: z.string(),
  strategy: strategySchema,
  internal: z.boolean(),
  healthCheck: z.object({
    intervalSeconds: z.number().int(),
    path: z.string(),
    timeoutMs: z.number().int(),
    unhealthyAfter: z.number().int(),
    healthyAfter: z.number().int(),
  }),
  notes: z.string(),
  source: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  health: z
    .object({
      healthy: z.number().int(),
      unhealthy: z.number().int(),
      unknown: z.number().int(),
      disabled: z.number().int(),
      total: z.number().int(),
    })
    .describe("Enabled instances by state, and disabled ones apart (they are out of rotation whatever their state)"),
  lastCheckAt: z.iso.datetime().nullable(),
  usedBy: z.array(z.object({ modelId: z.string(), modelName: z.string() })).describe("Models that route to this deployment"),
});
export const deploymentDetailDtoSchema = deploymentDtoSchema.extend({ instances: z.array(instanceDto) });

export const healthHistorySchema = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  instances: z.array(
    z.object({
      instanceId: z.string(),
      url: z.string(),
      checks: z.number().int(),
      failures: z.number().int(),
      uptime: z.number().nullable().describe("Share of successful checks in the window, 0-1; null without checks"),
      avgLatencyMs: z.number().nullable(),
      points: z.array(
        z.object({
          at: z.iso.datetime(),
          ok: z.boolean(),
          latencyMs: z.number().int().nullable(),
          httpStatus: z.number().int().nullable(),
          error: z.string().nullable(),
        }),
      ),
    }),
  ),
});
