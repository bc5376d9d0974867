import { db } from "../db/client";
import type { Prisma } from "../db/types";
import type { Actor } from "../auth/actor";
import { notFound } from "../errors";
import { recordAudit } from "../audit/record";
import type { OperationDto, OperationQuery } from "../schemas/providers";
import { toPage } from "../schemas/zod";
import { requireProviderAccess } from "./access";
import { operationSelect, toOperationDto } from "./provider-dto";

/** A provider's operations in document order; search by text (id, path, summary, tool name), tag and method. */
export async function listOperations(opts: { actor: Actor; providerId: string; query: OperationQuery }) {
  const { actor, providerId, query } = opts;
  const workspaceId = await requireProviderAccess(actor, providerId, "integrations.read");
  const where: Prisma.ProviderOperationWhereInput = { providerId, provider: { workspaceId } };
  if (query.method) where.method = query.method;
  if (query.tag) where.tags = { has: query.tag };
  if (query.enabled) where.enabled = query.enabled === "true";
  if (query.q) {
    where.OR = [
      { operationId: { contains: query.q, mode: "insensitive" } },
      { path: { contains: query.q, mode: "insensitive" } },
      { summary: { contains: query.q, mode: "insensitive" } },
      { toolName: { contains: query.q, mode: "insensitive" } },
    ];
  }
  let cursorPosition: number | null = null;
  if (query.cursor) {
    const c = await db.providerOperation.findFirst({ where: { id: query.cursor, providerId }, select: { position: true } });
    if (!c) throw notFound("Cursor");
    cursorPosition = c.position;
  }
  const [rows, total, tagRows] = await Promise.all([
    db.providerOperation.findMany({
      where: cursorPosition === null ? where : { AND: [where, { position: { gt: cursorPosition } }] },
      select: { ...operationSelect, position: true },
      orderBy: { position: "asc" },
      take: query.limit + 1,
    }),
    db.providerOperation.count({ where }),
    db.$queryRaw<
      { tag: string }[]
    >`SELECT DISTINCT unnest(o."tags") AS tag FROM "ProviderOperation" o JOIN "Provider" p ON p."id" = o."providerId" WHERE o."providerId" = ${providerId} AND p."workspaceId" = ${workspaceId} ORDER BY 1`,
  ]);
  const page = toPage(rows, query.limit);
  return { data: page.data.map(toOperationDto), nextCursor: page.nextCursor, total, tags: tagRows.map((t) => t.tag) };
}

/** Switches an operation on or off as a tool (audited: it changes what agents may call). */
export async function setOperationEnabled(opts: {
  actor: Actor;
  providerId: string;
  operationId: string;
  enabled: boolean;
  requestId?: string;
}): Promise<OperationDto> {
  const workspaceId = await requireProviderAccess(opts.actor, opts.providerId, "integrations.manage");
  return db.$transaction(async (tx) => {
    const op = await tx.providerOperation.findFirst({
      where: { id: opts.operationId, providerId: opts.providerId, provider: { workspaceId } },
      select: { id: true, enabled: true, toolName: true, provider: { select: { name: true } } },
    });
    if (!op) throw notFound("Operation");
    const row = await tx.providerOperation.update({ where: { id: op.id }, data: { enabled: opts.enabled }, select: operationSelect });
    if (op.enabled !== opts.enabled) {
      await recordAudit(tx, {
        actor: opts.actor,
        action: opts.enabled ? "provider.operation.enable" : "provider.operation.disable",
        targetType: "provider",
        targetId: opts.providerId,
        targetLabel: `${op.provider.name}: ${op.toolName}`,
        workspaceId,
        changes: { enabled: { from: op.enabled, to: opts.enabled } },
        requestId: opts.requestId,
      });
    }
    return toOperationDto(row);
  });
}
