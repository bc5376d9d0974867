import type { Prisma, Tx } from "../db/types";
import { webhookOptionsSchema, type WebhookDto, type WebhookScheme } from "../schemas/webhooks";

export const webhookSelect = {
  id: true,
  workspaceId: true,
  name: true,
  description: true,
  scheme: true,
  options: true,
  targetType: true,
  worker: { select: { id: true, name: true } },
  workflow: { select: { id: true, name: true } },
  mode: true,
  syncTimeoutMs: true,
  redactFields: true,
  retentionDays: true,
  maxBodyBytes: true,
  enabled: true,
  source: true,
  createdAt: true,
  updatedAt: true,
  secrets: { select: { id: true, credentialId: true, createdAt: true, expiresAt: true }, orderBy: { createdAt: "desc" } },
} satisfies Prisma.WebhookEndpointSelect;

export type WebhookRow = Prisma.WebhookEndpointGetPayload<{ select: typeof webhookSelect }>;

export const webhookPath = (id: string) => `/api/webhooks/${id}`;

/** The stored options as the schema reads them (a row written by an older version keeps what still parses). */
export function storedOptions(raw: unknown) {
  const r = webhookOptionsSchema.safeParse(raw);
  return r.success ? r.data : {};
}

interface Stats {
  received: number;
  verified: number;
  refused: number;
  lastEventAt: string | null;
}

/** Received / verified / refused counts of the last 24 h per endpoint (one grouped query for a page). */
async function statsOf(tx: Tx, ids: string[]): Promise<Map<string, Stats>> {
  const out = new Map<string, Stats>();
  if (!ids.length) return out;
  const since = new Date(Date.now() - 86_400_000);
  const groups = await tx.webhookEvent.groupBy({
    by: ["endpointId", "verified"],
    where: { endpointId: { in: ids }, receivedAt: { gte: since } },
    _count: { _all: true },
    _max: { receivedAt: true },
  });
  for (const g of groups) {
    const s = out.get(g.endpointId) ?? { received: 0, verified: 0, refused: 0, lastEventAt: null };
    s.received += g._count._all;
    if (g.verified) s.verified += g._count._all;
    else s.refused += g._count._all;
    const last = g._max.receivedAt?.toISOString() ?? null;
    if (last && (!s.lastEventAt || last > s.lastEventAt)) s.lastEventAt = last;
    out.set(g.endpointId, s);
  }
  return out;
}

export async function toWebhookDtos(tx: Tx, rows: WebhookRow[]): Promise<WebhookDto[]> {
  const stats = await statsOf(
    tx,
    rows.map((r) => r.id),
  );
  const credIds = rows.flatMap((r) => r.secrets.map((s) => s.credentialId));
  const masks = new Map(
    credIds.length
      ? (await tx.credential.findMany({ where: { id: { in: credIds } }, select: { id: true, mask: true } })).map((c) => [c.id, c.mask])
      : [],
  );
  const now = Date.now();
  return rows.map((r) => {
    const target = r.targetType === "workflow" ? r.workflow : r.worker;
    return {
      id: r.id,
      workspaceId: r.workspaceId,
      name: r.name,
      description: r.description,
      scheme: r.scheme as WebhookScheme,
      options: storedOptions(r.options),
      path: webhookPath(r.id),
      target: { type: r.targetType === "workflow" ? "workflow" : "worker", id: target?.id ?? "", name: target?.name ?? "" },
      mode: r.mode === "sync" ? "sync" : "async",
      syncTimeoutMs: r.syncTimeoutMs,
      redactFields: r.redactFields,
      retentionDays: r.retentionDays,
      maxBodyBytes: r.maxBodyBytes,
      enabled: r.enabled,
      // Secrets past their grace period are not valid any more (the cleanup removes them soon).
      secrets: r.secrets
        .filter((s) => !s.expiresAt || s.expiresAt.getTime() > now)
        .map((s) => ({
          id: s.id,
          mask: masks.get(s.credentialId) ?? "(missing)",
          createdAt: s.createdAt.toISOString(),
          expiresAt: s.expiresAt?.toISOString() ?? null,
        })),
      stats: stats.get(r.id) ?? { received: 0, verified: 0, refused: 0, lastEventAt: null },
      source: r.source,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  });
}

export async function getWebhookIn(tx: Tx, where: { id: string; workspaceId: string }): Promise<WebhookDto | null> {
  const row = await tx.webhookEndpoint.findFirst({ where, select: webhookSelect });
  return row ? (await toWebhookDtos(tx, [row]))[0] : null;
}
