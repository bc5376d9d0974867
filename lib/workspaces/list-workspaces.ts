import { db } from "../db/client";
import type { Prisma } from "../db/types";
import { isInstanceAdmin, type Actor } from "../auth/actor";
import { toPage, type ListQuery } from "../schemas/zod";
import { toWorkspaceDto, type WorkspaceDto } from "./workspace-dto";

/** Workspaces the actor can see (all of them for instance admins and tokens), by name. */
export async function listWorkspaces(opts: { actor: Actor; query: ListQuery }) {
  const { actor, query } = opts;
  const where: Prisma.WorkspaceWhereInput = {};
  const all = isInstanceAdmin(actor);
  if (!all) where.memberships = { some: { userId: actor.type === "user" ? actor.id : "__none__" } };
  if (query.q)
    where.OR = [{ name: { contains: query.q, mode: "insensitive" } }, { description: { contains: query.q, mode: "insensitive" } }];
  const rows = await db.workspace.findMany({
    where,
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
    include: {
      _count: { select: { memberships: true } },
      memberships: actor.type === "user" ? { where: { userId: actor.id }, select: { role: true } } : false,
    },
  });
  const page = toPage(rows, query.limit);
  return {
    data: page.data.map((w): WorkspaceDto => toWorkspaceDto(w, all ? "ADMIN" : (w.memberships?.[0]?.role ?? undefined))),
    nextCursor: page.nextCursor,
  };
}

/** Every workspace the actor can switch to (for the switcher), without paging. */
export async function workspacesForSwitcher(actor: Actor): Promise<WorkspaceDto[]> {
  const { data } = await listWorkspaces({ actor, query: { limit: 200 } });
  return data;
}
