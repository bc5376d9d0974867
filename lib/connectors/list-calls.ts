import { db } from "../db/client";
import type { Prisma } from "../db/types";
import type { Actor } from "../auth/actor";
import type { ConnectorCallDto, ConnectorCallQuery, ConnectorCallSummary } from "../schemas/connector-calls";
import { toPage, type Page } from "../schemas/zod";
import { requireConnectorAccess } from "./access";

function statusFilter(status: string): Prisma.IntNullableFilter | number {
  if (/^\dxx$/.test(status)) {
    const base = Number(status[0]) * 100;
    return { gte: base, lt: base + 100 };
  }
  return Number(status);
}

const select = {
  id: true,
  operationId: true,
  method: true,
  path: true,
  status: true,
  outcome: true,
  errorCode: true,
  latencyMs: true,
  endUserId: true,
  agent: true,
  keyId: true,
  createdAt: true,
} satisfies Prisma.ConnectorCallSelect;

/** A connector's tool calls, newest first (its activity tab). */
export async function listConnectorCalls(opts: {
  actor: Actor;
  connectorId: string;
  query: ConnectorCallQuery;
}): Promise<Page<ConnectorCallDto>> {
  const { actor, connectorId, query } = opts;
  const { workspaceId } = await requireConnectorAccess(actor, connectorId, "integrations.read");
  const where: Prisma.ConnectorCallWhereInput = { connectorId, workspaceId };
  if (query.status) where.status = statusFilter(query.status);
  if (query.outcome) where.outcome = query.outcome;
  if (query.operationId) where.operationId = query.operationId;
  const rows = await db.connectorCall.findMany({
    where,
    select,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
  });
  const page = toPage(rows, query.limit);
  return {
    data: page.data.map((r) => ({ ...r, outcome: r.outcome as ConnectorCallDto["outcome"], createdAt: r.createdAt.toISOString() })),
    nextCursor: page.nextCursor,
  };
}

/** Calls and errors per hour over the last `hours` hours (the activity tab's chart). */
export async function summarizeConnectorCalls(opts: { actor: Actor; connectorId: string; hours: number }): Promise<ConnectorCallSummary> {
  const { workspaceId } = await requireConnectorAccess(opts.actor, opts.connectorId, "integrations.read");
  const to = new Date();
  const from = new Date(Math.floor(to.getTime() / 3_600_000) * 3_600_000 - (opts.hours - 1) * 3_600_000);
  const rows = await db.$queryRaw<{ hour: Date; calls: number; errors: number }[]>`
    SELECT date_trunc('hour', "createdAt") AS hour, count(*)::int AS calls, count(*) FILTER (WHERE "outcome" <> 'ok')::int AS errors
    FROM "ConnectorCall"
    WHERE "connectorId" = ${opts.connectorId} AND "workspaceId" = ${workspaceId} AND "createdAt" >= ${from}
    GROUP BY 1 ORDER BY 1`;
  const hours = rows.map((r) => ({ hour: new Date(r.hour).toISOString(), calls: r.calls, errors: r.errors }));
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    calls: hours.reduce((n, h) => n + h.calls, 0),
    errors: hours.reduce((n, h) => n + h.errors, 0),
    hours,
  };
}
