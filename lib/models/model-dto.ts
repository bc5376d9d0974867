import type { Prisma } from "../db/types";
import type { z } from "../schemas/zod";
import type {
  Modality,
  ModelFeature,
  ModelStatus,
  modelDetailDtoSchema,
  modelDtoSchema,
  priceDtoSchema,
  routeDtoSchema,
} from "../schemas/models";
import { money, type DecimalLike } from "./money";
import { pickPriceAt } from "./price-at";
import { orderRoutes } from "./route-order";
import type { ModelDependent } from "./model-dependents";

// Read shapes of the model registry, inferred from the schemas the admin API declares. Prices are 6-place
// decimal strings in USD per million tokens.
export type PriceDto = z.output<typeof priceDtoSchema>;
export type RouteDto = z.output<typeof routeDtoSchema>;
export type ModelDto = z.output<typeof modelDtoSchema>;
export type ModelDetailDto = z.output<typeof modelDetailDtoSchema>;

type PriceRow = {
  id: string;
  effectiveFrom: Date;
  inputPerMillion: DecimalLike;
  outputPerMillion: DecimalLike;
  cachedInputPerMillion: DecimalLike | null;
  currency: string;
  note: string;
  createdAt: Date;
};

export type RouteRow = {
  id: string;
  platformId: string | null;
  deploymentId: string | null;
  upstreamModel: string;
  priority: number;
  weight: number;
  enabled: boolean;
  connectTimeoutMs?: number | null;
  firstTokenTimeoutMs?: number | null;
  totalTimeoutMs?: number | null;
  platform: { name: string; vendor: string; status: string } | null;
  deployment: { name: string; engine: string } | null;
};

type ModelRow = {
  id: string;
  name: string;
  provider: string;
  status: string;
  description: string;
  features: string[];
  modalities: string[];
  contextWindow: number | null;
  maxOutputTokens: number | null;
  defaultContext: number | null;
  defaultMaxOutput: number | null;
  source: string;
  createdAt: Date;
  updatedAt: Date;
};

export function toPriceDto(p: PriceRow): PriceDto {
  return {
    id: p.id,
    effectiveFrom: p.effectiveFrom.toISOString(),
    inputPerMillion: money(p.inputPerMillion),
    outputPerMillion: money(p.outputPerMillion),
    cachedInputPerMillion: money(p.cachedInputPerMillion),
    currency: p.currency,
    note: p.note,
    createdAt: p.createdAt.toISOString(),
  };
}

export function toRouteDtos(modelName: string, routes: RouteRow[]): RouteDto[] {
  return orderRoutes(routes).map((r, i) => ({
    id: r.id,
    position: i + 1,
    targetType: r.platformId ? "platform" : "deployment",
    platformId: r.platformId,
    deploymentId: r.deploymentId,
    targetName: r.platform?.name ?? r.deployment?.name ?? "(missing)",
    targetKind: r.platform?.vendor ?? r.deployment?.engine ?? "",
    targetActive: r.platform ? r.platform.status === "active" : !!r.deployment,
    upstreamModel: r.upstreamModel,
    effectiveUpstreamModel: r.upstreamModel || modelName,
    priority: r.priority,
    weight: r.weight,
    enabled: r.enabled,
    timeouts: { connectMs: r.connectTimeoutMs ?? null, firstTokenMs: r.firstTokenTimeoutMs ?? null, totalMs: r.totalTimeoutMs ?? null },
  }));
}

export function toModelDto(m: ModelRow, extra: { currentPrice: PriceRow | null; routeCount: number }): ModelDto {
  return {
    id: m.id,
    name: m.name,
    provider: m.provider,
    status: m.status as ModelStatus,
    description: m.description,
    features: m.features as ModelFeature[],
    modalities: m.modalities as Modality[],
    contextWindow: m.contextWindow,
    maxOutputTokens: m.maxOutputTokens,
    defaultContext: m.defaultContext,
    defaultMaxOutput: m.defaultMaxOutput,
    source: m.source,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
    currentPrice: extra.currentPrice ? toPriceDto(extra.currentPrice) : null,
    routeCount: extra.routeCount,
  };
}

export function toModelDetailDto(
  m: ModelRow & { prices: PriceRow[]; routes: RouteRow[] },
  dependents: ModelDependent[],
  now = new Date(),
): ModelDetailDto {
  const prices = [...m.prices].sort((a, b) => b.effectiveFrom.getTime() - a.effectiveFrom.getTime());
  return {
    ...toModelDto(m, { currentPrice: pickPriceAt(prices, now), routeCount: m.routes.length }),
    prices: prices.map(toPriceDto),
    routes: toRouteDtos(m.name, m.routes),
    dependents,
  };
}

export const routeInclude = {
  platform: { select: { name: true, vendor: true, status: true } },
  deployment: { select: { name: true, engine: true } },
} as const;

/** Failover order in queries too, so ties (same priority and weight) come back in the order they were saved. */
export const routeOrderBy: Prisma.ModelRouteOrderByWithRelationInput[] = [
  { priority: "asc" },
  { weight: "desc" },
  { createdAt: "asc" },
  { id: "asc" },
];
