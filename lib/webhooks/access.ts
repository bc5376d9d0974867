import { db } from "../db/client";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import type { Permission } from "../auth/permissions";
import type { RoleName } from "../schemas/workspaces";
import { isAppError, notFound } from "../errors";

export interface WebhookScope {
  workspaceId: string;
  role: RoleName;
}

/** The workspace of an endpoint addressed by id, after checking the actor's permission there; another workspace's is "not found". */
export async function requireWebhookAccess(actor: Actor, endpointId: string, permission: Permission): Promise<WebhookScope> {
  const row = await db.webhookEndpoint.findFirst({ where: { id: endpointId }, select: { workspaceId: true } });
  if (!row) throw notFound("Webhook");
  try {
    return { workspaceId: row.workspaceId, role: await requireWorkspacePermission(actor, row.workspaceId, permission) };
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") throw notFound("Webhook");
    throw e;
  }
}
