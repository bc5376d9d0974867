import { db } from "../db/client";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import { notFound } from "../errors";
import { toWorkspaceDto } from "./workspace-dto";

/** A workspace by id or slug, with the actor's role in it; not_found when the actor is not a member. */
export async function getWorkspace(opts: { actor: Actor; idOrSlug: string }) {
  const ws = await db.workspace.findFirst({
    where: { OR: [{ id: opts.idOrSlug }, { slug: opts.idOrSlug }] },
    include: { _count: { select: { memberships: true } } },
  });
  if (!ws) throw notFound("Workspace");
  const role = await requireWorkspacePermission(opts.actor, ws.id, "workspace.read");
  return toWorkspaceDto(ws, role);
}
