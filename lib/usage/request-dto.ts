import { db } from "../db/client";
import type { UsageRecord } from "../db/generated/client";
import { USAGE_OUTCOMES, type AttemptDto, type UsageRequestDto } from "../schemas/usage";

type Outcome = (typeof USAGE_OUTCOMES)[number];

/** Names of the keys, platforms and deployments the rows point to, fetched once per page (not per row). */
export interface Names {
  keys: Map<string, { name: string; prefix: string }>;
  platforms: Map<string, string>;
  deployments: Map<string, string>;
}

const uniq = (xs: (string | null | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))];

export async function loadNames(
  workspaceId: string,
  rows: UsageRecord[],
  extra: { platformIds?: string[]; deploymentIds?: string[] } = {},
): Promise<Names> {
  const keyIds = uniq(rows.map((r) => r.virtualKeyId));
  const platformIds = uniq([...rows.map((r) => r.platformId), ...(extra.platformIds ?? [])]);
  const deploymentIds = uniq([...rows.map((r) => r.deploymentId), ...(extra.deploymentIds ?? [])]);
  const [keys, platforms, deployments] = await Promise.all([
    // Scoped to the workspace: a key id recorded elsewhere never lends its name here.
    keyIds.length
      ? db.virtualKey.findMany({ where: { id: { in: keyIds }, workspaceId }, select: { id: true, name: true, prefix: true } })
      : [],
    platformIds.length ? db.platform.findMany({ where: { id: { in: platformIds } }, select: { id: true, name: true } }) : [],
    deploymentIds.length ? db.deployment.findMany({ where: { id: { in: deploymentIds } }, select: { id: true, name: true } }) : [],
  ]);
  return {
    keys: new Map(keys.map((k) => [k.id, { name: k.name, prefix: k.prefix }])),
    platforms: new Map(platforms.map((p) => [p.id, p.name])),
    deployments: new Map(deployments.map((d) => [d.id, d.name])),
  };
}

const asOutcome = (o: string): Outcome => ((USAGE_OUTCOMES as readonly string[]).includes(o) ? (o as Outcome) : "error");

export function rawAttempts(json: unknown): Record<string, unknown>[] {
  return Array.isArray(json) ? json.filter((a): a is Record<string, unknown> => !!a && typeof a === "object" && !Array.isArray(a)) : [];
}

export function toRequestDto(r: UsageRecord, names: Names): UsageRequestDto {
  const key = r.virtualKeyId ? names.keys.get(r.virtualKeyId) : undefined;
  const servedBy = r.platformId
    ? { type: "platform" as const, id: r.platformId, name: names.platforms.get(r.platformId) ?? null }
    : r.deploymentId
      ? { type: "deployment" as const, id: r.deploymentId, name: names.deployments.get(r.deploymentId) ?? null }
      : null;
  return {
    id: r.id,
    requestId: r.requestId,
    at: r.at.toISOString(),
    workspaceId: r.workspaceId,
    endpoint: r.endpoint,
    model: r.model,
    modelId: r.modelId,
    status: r.status,
    outcome: asOutcome(r.outcome),
    errorCode: r.errorCode,
    key: r.virtualKeyId ? { id: r.virtualKeyId, name: key?.name ?? null, prefix: key?.prefix ?? null } : null,
    userId: r.userId,
    agentId: r.agentId,
    servedBy,
    upstreamModel: r.upstreamModel,
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    cachedTokens: r.cachedTokens,
    estimated: r.estimated,
    costUsd: r.costUsd.toFixed(8),
    latencyMs: r.latencyMs,
    ttftMs: r.ttftMs,
    streamed: r.streamed,
    attemptCount: rawAttempts(r.attempts).length,
  };
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** The recorded route trace, in the order the attempts were made, with today's names where the objects still exist. */
export async function toAttemptDtos(json: unknown, names: Names): Promise<AttemptDto[]> {
  const raw = rawAttempts(json);
  const vias = uniq(raw.map((a) => str(a.via)));
  const [keys, instances] = await Promise.all([
    vias.length
      ? db.platformKey.findMany({
          where: { id: { in: vias } },
          select: { id: true, description: true, credentialId: true, position: true },
        })
      : [],
    vias.length ? db.deploymentInstance.findMany({ where: { id: { in: vias } }, select: { id: true, url: true } }) : [],
  ]);
  const masks = keys.length
    ? new Map(
        (await db.credential.findMany({ where: { id: { in: keys.map((k) => k.credentialId) } }, select: { id: true, mask: true } })).map(
          (c) => [c.id, c.mask],
        ),
      )
    : new Map<string, string>();
  const viaLabels = new Map<string, string>([
    ...keys.map(
      (k) => [k.id, [k.description || `key ${k.position + 1}`, masks.get(k.credentialId)].filter(Boolean).join(" · ")] as [string, string],
    ),
    ...instances.map((i) => [i.id, i.url] as [string, string]),
  ]);
  return raw.map((a) => {
    const targetType = a.targetType === "deployment" ? "deployment" : "platform";
    const targetId = str(a.targetId) ?? "";
    const current = (targetType === "platform" ? names.platforms : names.deployments).get(targetId);
    const via = str(a.via) ?? "";
    return {
      targetType,
      targetId,
      targetName: current ?? str(a.targetName) ?? targetId,
      targetDeleted: current === undefined,
      upstreamModel: str(a.upstreamModel) ?? "",
      via,
      viaLabel: viaLabels.get(via) ?? null,
      status: num(a.status),
      error: str(a.error),
      latencyMs: num(a.latencyMs) ?? 0,
    };
  });
}
