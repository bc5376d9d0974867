import type { Tx } from "../db/types";
import { AppError, notFound } from "../errors";
import type { ToolList } from "../schemas/agents";
import { connectorOperations } from "./connector-operations";
import { assignToolNames } from "./tool-names";

// The tools available at a worker, a workflow node or a skill, in OpenAI's `tools` format, with a parallel
// `data` list saying where to call each one. Exactly what is assigned there: enabled operations of the assigned
// connectors of the target's own workspace, never anything else.

export interface ToolTarget {
  type: "worker" | "node" | "skill";
  id: string;
  name: string;
  workspaceId: string;
}

export async function toolListFor(tx: Tx, target: ToolTarget): Promise<ToolList> {
  const field = target.type === "worker" ? "workerId" : target.type === "node" ? "nodeId" : "skillId";
  const assignments = await tx.connectorAssignment.findMany({
    where: { [field]: target.id, workspaceId: target.workspaceId, connector: { workspaceId: target.workspaceId } },
    select: {
      operationIds: true,
      connector: {
        select: { id: true, name: true, providerId: true, pinnedVersionId: true, provider: { select: { currentVersionId: true } } },
      },
    },
    orderBy: [{ connector: { name: "asc" } }, { connectorId: "asc" }],
  });
  const picked: { connector: (typeof assignments)[number]["connector"]; op: Awaited<ReturnType<typeof connectorOperations>>[number] }[] =
    [];
  for (const a of assignments) {
    const only = a.operationIds.length ? new Set(a.operationIds) : null;
    for (const op of await connectorOperations(tx, a.connector)) {
      if (op.enabled && (!only || only.has(op.operationId))) picked.push({ connector: a.connector, op });
    }
  }
  const names = assignToolNames(
    picked.map((p) => ({ connectorId: p.connector.id, connectorName: p.connector.name, toolName: p.op.toolName })),
  );
  return {
    object: "list",
    target: { type: target.type, id: target.id, name: target.name },
    tools: picked.map((p, i) => ({
      type: "function",
      function: { name: names[i], description: `${p.connector.name}: ${p.op.description}`, parameters: p.op.inputSchema },
    })),
    data: picked.map((p, i) => ({
      name: names[i],
      connectorId: p.connector.id,
      connectorName: p.connector.name,
      operationId: p.op.operationId,
      method: p.op.method,
      path: p.op.path,
      callPath: `/api/v1/tools/${encodeURIComponent(p.connector.id)}/${encodeURIComponent(p.op.operationId)}`,
    })),
  };
}

export type ToolQuery = { worker?: string; node?: string; skill?: string };

/**
 * The target a data-plane caller names, within its key's workspace only: by id first, then by name (a node as
 * `workflow/node`, or by its name alone when one node of the workspace has it). Another workspace's is not found.
 */
export async function findToolTarget(tx: Tx, workspaceId: string, query: ToolQuery): Promise<ToolTarget> {
  const given = (["worker", "node", "skill"] as const).filter((k) => query[k] !== undefined);
  if (given.length !== 1) throw new AppError("bad_request", "Give exactly one of worker, node or skill");
  const type = given[0];
  const ref = query[type]!.trim();
  if (!ref || ref.length > 200) throw notFound(type === "node" ? "Node" : type === "worker" ? "Worker" : "Skill");
  if (type === "node") return findNode(tx, workspaceId, ref);
  const table = (type === "worker" ? tx.worker : tx.skill) as unknown as {
    findFirst(a: { where: Record<string, unknown>; select: { id: true; name: true } }): Promise<{ id: string; name: string } | null>;
  };
  const row =
    (await table.findFirst({ where: { id: ref, workspaceId }, select: { id: true, name: true } })) ??
    (await table.findFirst({ where: { name: ref, workspaceId }, select: { id: true, name: true } })) ??
    (await table.findFirst({ where: { name: { equals: ref, mode: "insensitive" }, workspaceId }, select: { id: true, name: true } }));
  if (!row) throw notFound(type === "worker" ? "Worker" : "Skill");
  return { type, id: row.id, name: row.name, workspaceId };
}

async function findNode(tx: Tx, workspaceId: string, ref: string): Promise<ToolTarget> {
  const select = { id: true, name: true, workflow: { select: { name: true } } } as const;
  const byId = await tx.workflowNode.findFirst({ where: { id: ref, workflow: { workspaceId } }, select });
  const found = (n: { id: string; name: string; workflow: { name: string } }): ToolTarget => ({
    type: "node",
    id: n.id,
    name: `${n.workflow.name}/${n.name}`,
    workspaceId,
  });
  if (byId) return found(byId);
  const slash = ref.indexOf("/");
  if (slash > 0) {
    const n = await tx.workflowNode.findFirst({
      where: {
        name: { equals: ref.slice(slash + 1), mode: "insensitive" },
        workflow: { workspaceId, name: { equals: ref.slice(0, slash), mode: "insensitive" } },
      },
      select,
    });
    if (n) return found(n);
    throw notFound("Node");
  }
  const byName = await tx.workflowNode.findMany({
    where: { name: { equals: ref, mode: "insensitive" }, workflow: { workspaceId } },
    select,
    take: 2,
  });
  if (byName.length > 1) throw new AppError("bad_request", `Several workflows have a node named ${ref}: name it as workflow/node`);
  if (!byName.length) throw notFound("Node");
  return found(byName[0]);
}
