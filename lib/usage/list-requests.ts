import { db } from "../db/client";
import type { Prisma } from "../db/types";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import type { UsageRequestQuery } from "../schemas/usage";
import { toPage, type Page } from "../schemas/zod";
import type { UsageRequestDto } from "../schemas/usage";
import { loadNames, toRequestDto } from "./request-dto";

function statusFilter(status: string): Prisma.IntFilter | number {
  if (/^\dxx$/.test(status)) {
    const base = Number(status[0]) * 100;
    return { gte: base, lt: base + 100 };
  }
  return Number(status);
}

export function requestsWhere(input: UsageRequestQuery): Prisma.UsageRecordWhereInput {
  // The workspace is part of every query, so a filter can never reach another workspace's rows.
  const where: Prisma.UsageRecordWhereInput = { workspaceId: input.workspaceId };
  if (input.status) where.status = statusFilter(input.status);
  if (input.outcome) where.outcome = input.outcome;
  if (input.model) where.model = input.model;
  if (input.virtualKeyId) where.virtualKeyId = input.virtualKeyId;
  if (input.userId) where.userId = input.userId;
  if (input.agentId) where.agentId = input.agentId;
  if (input.platformId) where.platformId = input.platformId;
  if (input.deploymentId) where.deploymentId = input.deploymentId;
  if (input.from || input.to) where.at = { ...(input.from ? { gte: input.from } : {}), ...(input.to ? { lte: input.to } : {}) };
  if (input.q) {
    where.OR = [
      { requestId: { startsWith: input.q } },
      { model: { contains: input.q, mode: "insensitive" } },
      { userId: { contains: input.q, mode: "insensitive" } },
      { agentId: { contains: input.q, mode: "insensitive" } },
      { errorCode: { contains: input.q, mode: "insensitive" } },
    ];
  }
  return where;
}

/** Recent gateway requests of one workspace, newest first (Admins and Builders). */
export async function listRequests({ actor, input }: { actor: Actor; input: UsageRequestQuery }): Promise<Page<UsageRequestDto>> {
  await requireWorkspacePermission(actor, input.workspaceId, "usage.read");
  const rows = await db.usageRecord.findMany({
    where: requestsWhere(input),
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
  });
  const page = toPage(rows, input.limit);
  const names = await loadNames(input.workspaceId, page.data);
  return { data: page.data.map((r) => toRequestDto(r, names)), nextCursor: page.nextCursor };
}
