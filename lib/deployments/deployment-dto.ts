import type { Prisma } from "../db/types";
import type { z } from "../schemas/zod";
import type {
  Engine,
  InstanceState,
  Strategy,
  deploymentDetailDtoSchema,
  deploymentDtoSchema,
  instanceDtoSchema,
} from "../schemas/deployments";

// Read shapes, inferred from the schemas the admin API declares.
export type InstanceDto = z.output<typeof instanceDtoSchema>;
export type DeploymentDto = z.output<typeof deploymentDtoSchema>;
export type DeploymentDetailDto = z.output<typeof deploymentDetailDtoSchema>;

type InstanceRow = {
  id: string;
  url: string;
  replicas: number;
  gpu: string;
  weight: number;
  enabled: boolean;
  state: string;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  lastCheckAt: Date | null;
  nextCheckAt: Date;
  lastLatencyMs: number | null;
  lastError: string | null;
  stateChangedAt: Date | null;
};

type DeploymentRow = {
  id: string;
  name: string;
  engine: string;
  servedModel: string;
  strategy: string;
  internal: boolean;
  healthPath: string;
  healthIntervalSeconds: number;
  healthTimeoutMs: number;
  unhealthyAfter: number;
  healthyAfter: number;
  notes: string;
  source: string;
  createdAt: Date;
  updatedAt: Date;
  instances: InstanceRow[];
  routes: { model: { id: string; name: string } }[];
};

export const deploymentInclude = {
  instances: { orderBy: [{ position: "asc" as const }, { createdAt: "asc" as const }] },
  routes: { select: { model: { select: { id: true, name: true } } } },
} satisfies Prisma.DeploymentInclude;

export function toInstanceDto(i: InstanceRow): InstanceDto {
  return {
    id: i.id,
    url: i.url,
    replicas: i.replicas,
    gpu: i.gpu,
    weight: i.weight,
    enabled: i.enabled,
    state: i.state as InstanceState,
    consecutiveFailures: i.consecutiveFailures,
    consecutiveSuccesses: i.consecutiveSuccesses,
    lastCheckAt: i.lastCheckAt?.toISOString() ?? null,
    nextCheckAt: i.nextCheckAt.toISOString(),
    lastLatencyMs: i.lastLatencyMs,
    lastError: i.lastError,
    stateChangedAt: i.stateChangedAt?.toISOString() ?? null,
  };
}

export function toDeploymentDto(d: DeploymentRow): DeploymentDto {
  const health = { healthy: 0, unhealthy: 0, unknown: 0, disabled: 0, total: d.instances.length };
  let last: Date | null = null;
  for (const i of d.instances) {
    if (!i.enabled) health.disabled++;
    else health[i.state as InstanceState]++;
    if (i.lastCheckAt && (!last || i.lastCheckAt > last)) last = i.lastCheckAt;
  }
  const models = new Map(d.routes.map((r) => [r.model.id, r.model.name]));
  return {
    id: d.id,
    name: d.name,
    engine: d.engine as Engine,
    model: d.servedModel,
    strategy: d.strategy as Strategy,
    internal: d.internal,
    healthCheck: {
      intervalSeconds: d.healthIntervalSeconds,
      path: d.healthPath,
      timeoutMs: d.healthTimeoutMs,
      unhealthyAfter: d.unhealthyAfter,
      healthyAfter: d.healthyAfter,
    },
    notes: d.notes,
    source: d.source,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    health,
    lastCheckAt: last?.toISOString() ?? null,
    usedBy: [...models].map(([modelId, modelName]) => ({ modelId, modelName })).sort((a, b) => a.modelName.localeCompare(b.modelName)),
  };
}

export function toDeploymentDetailDto(d: DeploymentRow): DeploymentDetailDto {
  return { ...toDeploymentDto(d), instances: d.instances.map(toInstanceDto) };
}

/** Audit-friendly flat view of a deployment's settings. */
export function deploymentFields(d: Omit<DeploymentRow, "instances" | "routes" | "createdAt" | "updatedAt" | "id" | "source">) {
  return {
    name: d.name,
    engine: d.engine,
    model: d.servedModel,
    strategy: d.strategy,
    internal: d.internal,
    "healthCheck.intervalSeconds": d.healthIntervalSeconds,
    "healthCheck.path": d.healthPath,
    "healthCheck.timeoutMs": d.healthTimeoutMs,
    "healthCheck.unhealthyAfter": d.unhealthyAfter,
    "healthCheck.healthyAfter": d.healthyAfter,
    notes: d.notes,
  };
}
export const DEPLOYMENT_AUDIT_FIELDS = Object.keys(
  deploymentFields({
    name: "",
    engine: "",
    servedModel: "",
    strategy: "",
    internal: false,
    healthIntervalSeconds: 0,
    healthPath: "",
    healthTimeoutMs: 0,
    unhealthyAfter: 0,
    healthyAfter: 0,
    notes: "",
  }),
) as (keyof ReturnType<typeof deploymentFields>)[];
