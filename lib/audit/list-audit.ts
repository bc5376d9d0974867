import { db } from "../db/client";
import type { Prisma } from "../db/types";
import { isInstanceAdmin, type Actor } from "../auth/actor";
import type { AuditQuery } from "../schemas/audit";
import { toPage } from "../schemas/zod";

/**
 * Audit entries the actor may read: everything for instance admins and tokens; for a workspace Admin, the
 * entries of the workspaces they administer.
 */
export async function listAudit(actor: Actor, q: AuditQuery) {
  const where: Prisma.AuditEntryWhereInput = {};
  if (!isInstanceAdmin(actor)) {
    if (actor.type !== "user") return { data: [], nextCursor: null };
    const adminOf = await db.membership.findMany({ where: { userId: actor.id, role: "ADMIN" }, select: { workspaceId: true } });
    const ids = adminOf.map((m) => m.workspaceId);
    where.workspaceId = q.workspaceId ? (ids.includes(q.workspaceId) ? q.workspaceId : "__none__") : { in: ids };
  } else if (q.workspaceId) {
    where.workspaceId = q.workspaceId;
  }
  if (q.actorType) where.actorType = q.actorType;
  if (q.action) where.action = { startsWith: q.action };
  if (q.targetType) where.targetType = q.targetType;
  if (q.from || q.to) where.at = { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lte: q.to } : {}) };
  if (q.q) {
    where.OR = [
      { actorLabel: { contains: q.q, mode: "insensitive" } },
      { targetLabel: { contains: q.q, mode: "insensitive" } },
      { action: { contains: q.q, mode: "insensitive" } },
    ];
  }
  const rows = await db.auditEntry.findMany({
    where,
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    ...(q.cursor ? { cursor: { id: q.cursor }, skip: 1 } : {}),
  });
  return toPage(rows, q.limit);
}
