import { db } from "../db/client";
import type { Prisma } from "../db/types";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import { toPage, type ListQuery } from "../schemas/zod";
import { toMemberDto } from "./member-dto";

export async function listMembers(opts: { actor: Actor; workspaceId: string; query: ListQuery }) {
  const { actor, workspaceId, query } = opts;
  await requireWorkspacePermission(actor, workspaceId, "members.read");
  const where: Prisma.MembershipWhereInput = { workspaceId };
  if (query.q) {
    where.user = {
      OR: [{ email: { contains: query.q, mode: "insensitive" } }, { name: { contains: query.q, mode: "insensitive" } }],
    };
  }
  const rows = await db.membership.findMany({
    where,
    include: { user: { select: { id: true, email: true, name: true, lastLoginAt: true } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
  });
  const page = toPage(rows, query.limit);
  return { data: page.data.map(toMemberDto), nextCursor: page.nextCursor };
}
