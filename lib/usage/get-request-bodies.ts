import { db } from "../db/client";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import { notFound } from "../errors";
import type { RequestBodiesDto } from "../schemas/workspace-logging";

/** The stored bodies of one request of the workspace (null when none are stored), and whether storage is on. */
export async function getRequestBodies({
  actor,
  input,
}: {
  actor: Actor;
  input: { workspaceId: string; requestId: string };
}): Promise<RequestBodiesDto> {
  await requireWorkspacePermission(actor, input.workspaceId, "usage.read");
  const [ws, row] = await Promise.all([
    db.workspace.findUnique({ where: { id: input.workspaceId }, select: { storeBodies: true } }),
    db.requestBody.findFirst({ where: { requestId: input.requestId, workspaceId: input.workspaceId } }),
  ]);
  if (!ws) throw notFound("Workspace");
  return {
    storeBodies: ws.storeBodies,
    bodies: row ? { at: row.at.toISOString(), request: row.request, response: row.response, truncated: row.truncated } : null,
  };
}
