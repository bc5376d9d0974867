import { db } from "../db/client";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import type { Permission } from "../auth/permissions";
import type { RoleName } from "../schemas/workspaces";
import type { AgentKind } from "../schemas/agents";
import { isAppError, notFound } from "../errors";
import { agentSelect, agentTable, KIND_LABEL, type AgentRow } from "./agent-table";

/**
 * A worker, workflow or skill addressed by id, after checking the actor's permission in its workspace. One of
 * another workspace (or of one the actor cannot see) is "not found", so ids reveal nothing. Later queries still
 * name the workspace in their `where`.
 */
export async function requireAgentAccess(
  actor: Actor,
  kind: AgentKind,
  id: string,
  permission: Permission,
): Promise<{ row: AgentRow; role: RoleName }> {
  const row = await agentTable(db, kind).findFirst({ where: { id }, select: agentSelect });
  if (!row) throw notFound(KIND_LABEL[kind]);
  return { row, role: await permissionOr404(actor, row.workspaceId, permission, KIND_LABEL[kind]) };
}

/** A node of the given workflow (a node of another workflow is not found). */
export async function requireNodeAccess(actor: Actor, workflowId: string, nodeId: string, permission: Permission) {
  const node = await db.workflowNode.findFirst({
    where: { id: nodeId, workflowId },
    select: { id: true, name: true, workflow: { select: { id: true, name: true, workspaceId: true } } },
  });
  if (!node) throw notFound("Node");
  const role = await permissionOr404(actor, node.workflow.workspaceId, permission, "Node");
  return { node, workspaceId: node.workflow.workspaceId, role };
}

async function permissionOr404(actor: Actor, workspaceId: string, permission: Permission, what: string): Promise<RoleName> {
  try {
    return await requireWorkspacePermission(actor, workspaceId, permission);
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") throw notFound(what);
    throw e;
  }
}
