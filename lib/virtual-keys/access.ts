import { db } from "../db/client";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import type { Permission } from "../auth/permissions";
import { isAppError, notFound } from "../errors";

/**
 * The workspace of a key addressed by id, after checking the actor's permission there. A key of another
 * workspace (or of a workspace the actor cannot see) is "not found", so ids reveal nothing.
 */
export async function requireKeyAccess(actor: Actor, keyId: string, permission: Permission, workspaceId?: string): Promise<string> {
  const row = await db.virtualKey.findFirst({
    where: { id: keyId, ...(workspaceId ? { workspaceId } : {}) },
    select: { workspaceId: true },
  });
  if (!row) throw notFound("API key");
  try {
    await requireWorkspacePermission(actor, row.workspaceId, permission);
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") throw notFound("API key");
    throw e;
  }
  return row.workspaceId;
}
