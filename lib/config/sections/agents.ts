import { z } from "../../schemas/zod";
import { agentDescriptionSchema, agentNameSchema, nodeNameSchema, type AgentKind } from "../../schemas/agents";
import { workspaceNameSchema } from "../../schemas/workspaces";
import type { Tx } from "../../db/types";
import { AppError, isAppError } from "../../errors";
import { agentSelect, agentTable, type AgentRow } from "../../agents/agent-table";
import { createAgentIn } from "../../agents/create-agent";
import { updateAgentIn } from "../../agents/update-agent";
import { createNodeIn, deleteNodeIn, updateNodeIn, type WorkflowRef } from "../../agents/nodes";
import type { ResolvedTarget } from "../../agents/assignments";
import type { ApplyContext, ConfigChange, ConfigSection } from "../types";
import {
  assignmentExportSelect,
  assignmentListSchema,
  exportAssignments,
  exportMcpAssignments,
  mcpAssignmentExportSelect,
  mcpAssignmentListSchema,
  reconcileAssignments,
  reconcileMcpAssignments,
} from "./agent-assignments";
import { deliveryItemFields, exportDelivery, reconcileDelivery } from "./agent-delivery";

// `workers`, `workflows` and `skills`: matched by workspace and name (any case). Only fields present in the file
// are managed (an omitted description is left as it is); a `connectors` or `nodes` list present in the file is
// the whole set (missing assignments and nodes are removed), nodes take the file's order, and a node's own
// `connectors` is always its whole set. `mcpServers` (MCP servers' tools assigned) is the whole set when present,
// on workers, skills and nodes alike; left out, MCP assignments are left as they are. Objects the file does not
// name are left alone. Workers and workflows also take their webhook delivery settings (`deliveryUrl`,
// `deliveryInternal`, `deliverySecret`: agent-delivery.ts).

const base = { name: agentNameSchema, workspace: workspaceNameSchema, description: agentDescriptionSchema.optional() };
const assigned = { connectors: assignmentListSchema.optional(), mcpServers: mcpAssignmentListSchema.optional() };
const workerItem = z.strictObject({ ...base, ...assigned, ...deliveryItemFields });
type WorkerItem = z.infer<typeof workerItem>;
const skillItem = z.strictObject({ ...base, ...assigned });

const nodeList = z
  .array(
    z.strictObject({ name: nodeNameSchema, connectors: assignmentListSchema.optional(), mcpServers: mcpAssignmentListSchema.optional() }),
  )
  .max(200, "At most 200 nodes")
  .superRefine((nodes, ctx) => {
    const seen = new Map<string, number>();
    nodes.forEach((n, i) => {
      const first = seen.get(n.name.toLowerCase());
      if (first !== undefined) ctx.addIssue({ code: "custom", path: [i, "name"], message: `Duplicate of nodes[${first}]` });
      else seen.set(n.name.toLowerCase(), i);
    });
  });
const workflowItem = z.strictObject({ ...base, nodes: nodeList.optional(), ...deliveryItemFields });
type WorkflowItem = z.infer<typeof workflowItem>;

const KEY: Record<AgentKind, string> = { worker: "workers", workflow: "workflows", skill: "skills" };

/** A domain error without a path (a name clash) reported at the item. */
function atItem(e: unknown, at: string): unknown {
  if (!isAppError(e) || e.fields?.some((f) => f.path.startsWith(at))) return e;
  const fields = (e.fields?.length ? e.fields : [{ path: "", message: e.message }]).map((f) => ({
    path: f.path ? `${at}.${f.path}` : at,
    message: f.message,
  }));
  return new AppError(e.code, `${at}: ${e.message}`, { fields });
}

/** The item's workspace and stored row (created when missing); null in a dry run when it cannot exist yet. */
async function upsertAgent(
  kind: AgentKind,
  i: number,
  item: { name: string; workspace: string; description?: string },
  ctx: ApplyContext,
): Promise<{ workspace: { id: string; name: string } | null; row: AgentRow | null; change: ConfigChange; fields: string[] }> {
  const { tx, actor, requestId, dryRun } = ctx;
  const change: ConfigChange = { section: KEY[kind], name: `${item.workspace}/${item.name}`, action: "unchanged" };
  const workspace = await tx.workspace.findFirst({
    where: { name: { equals: item.workspace, mode: "insensitive" } },
    select: { id: true, name: true },
  });
  if (!workspace) {
    // In a dry run, a workspace created earlier in the same file does not exist yet.
    if (dryRun) return { workspace, row: null, change: { ...change, action: "create" }, fields: [] };
    throw new AppError("validation_failed", `${KEY[kind]}[${i}].workspace: no workspace named ${item.workspace}`, {
      fields: [{ path: `${KEY[kind]}[${i}].workspace`, message: `No workspace named ${item.workspace}` }],
    });
  }
  const table = agentTable(tx, kind);
  const existing = await table.findFirst({
    where: { workspaceId: workspace.id, name: { equals: item.name, mode: "insensitive" } },
    select: agentSelect,
  });
  if (!existing) {
    if (dryRun) return { workspace, row: null, change: { ...change, action: "create" }, fields: [] };
    const input = { name: item.name, ...(item.description !== undefined ? { description: item.description } : {}) };
    const created = await createAgentIn(tx, { actor, kind, workspaceId: workspace.id, input, source: "config", requestId });
    const row = await table.findFirst({ where: { id: created.id, workspaceId: workspace.id }, select: agentSelect });
    return { workspace, row, change: { ...change, action: "create" }, fields: [] };
  }
  const fields: string[] = [];
  if (item.description !== undefined && item.description !== existing.description) {
    fields.push("description");
    if (!dryRun)
      await updateAgentIn(tx, {
        actor,
        kind,
        id: existing.id,
        workspaceId: workspace.id,
        input: { description: item.description },
        requestId,
      });
  }
  return { workspace, row: existing, change, fields };
}

const finish = (change: ConfigChange, fields: string[]): ConfigChange =>
  change.action === "create" || !fields.length ? change : { ...change, action: "update", fields };

/** Workers and skills: an item with its connector assignments. */
function agentSection(kind: "worker" | "skill"): ConfigSection<WorkerItem> {
  const key = KEY[kind];
  return {
    key,
    // Skills receive no webhooks: their items have no delivery fields.
    item: kind === "worker" ? workerItem : (skillItem as unknown as typeof workerItem),
    identity: (w) => `${w.workspace.toLowerCase()}/${w.name.toLowerCase()}`,
    ...(kind === "worker" ? { secretFields: ["deliverySecret"] } : {}),
    async apply(items, ctx) {
      const changes: ConfigChange[] = [];
      for (const [i, item] of items.entries()) {
        const at = `${key}[${i}]`;
        try {
          const { workspace, row, change, fields } = await upsertAgent(kind, i, item, ctx);
          if (kind === "worker" && workspace) fields.push(...(await reconcileDelivery(ctx, { kind, row, item, at })));
          if (workspace && (item.connectors || item.mcpServers)) {
            const target: ResolvedTarget | null = row
              ? {
                  type: kind,
                  id: row.id,
                  label: row.name,
                  workspaceId: workspace.id,
                  role: "ADMIN",
                  where: kind === "worker" ? { workerId: row.id } : { skillId: row.id },
                }
              : null;
            if (item.connectors)
              fields.push(
                ...(await reconcileAssignments(ctx, {
                  target,
                  workspaceId: workspace.id,
                  workspaceName: workspace.name,
                  entries: item.connectors,
                  path: `${at}.connectors`,
                  label: "",
                })),
              );
            if (item.mcpServers)
              fields.push(
                ...(await reconcileMcpAssignments(ctx, {
                  target,
                  workspaceId: workspace.id,
                  workspaceName: workspace.name,
                  entries: item.mcpServers,
                  path: `${at}.mcpServers`,
                  label: "",
                })),
              );
          }
          changes.push(finish(change, fields));
        } catch (e) {
          throw atItem(e, at);
        }
      }
      return changes;
    },
    async export(tx) {
      const select = {
        ...agentSelect,
        workspace: { select: { name: true } },
        assignments: { select: assignmentExportSelect },
        mcpAssignments: { select: mcpAssignmentExportSelect },
      } as const;
      const orderBy = [{ workspace: { name: "asc" as const } }, { name: "asc" as const }];
      if (kind === "skill") {
        const rows = await tx.skill.findMany({ select, orderBy });
        return rows.map((r) => ({
          name: r.name,
          workspace: r.workspace.name,
          ...(r.description ? { description: r.description } : {}),
          connectors: exportAssignments(r.assignments),
          ...(r.mcpAssignments.length ? { mcpServers: exportMcpAssignments(r.mcpAssignments) } : {}),
        }));
      }
      const rows = await tx.worker.findMany({
        select: { ...select, deliveryUrl: true, deliveryInternal: true, deliverySecretId: true },
        orderBy,
      });
      const delivery = await exportDelivery(tx, rows);
      return rows.map((r) => ({
        name: r.name,
        workspace: r.workspace.name,
        ...(r.description ? { description: r.description } : {}),
        connectors: exportAssignments(r.assignments),
        ...(r.mcpAssignments.length ? { mcpServers: exportMcpAssignments(r.mcpAssignments) } : {}),
        ...delivery(r),
      }));
    },
  };
}

export const workersSection = agentSection("worker");
export const skillsSection = agentSection("skill");

/** Makes the workflow's nodes those of the file, in its order, each with the file's assignments. */
async function reconcileNodes(
  ctx: ApplyContext,
  opts: { workflow: WorkflowRef | null; workspace: { id: string; name: string }; nodes: NonNullable<WorkflowItem["nodes"]>; at: string },
): Promise<string[]> {
  const { tx, actor, requestId, dryRun } = ctx;
  const wf = opts.workflow;
  // The stored order, kept in step with every write below (the domain renumbers nodes 0..n-1 the same way).
  const order: { id: string | null; name: string }[] = wf
    ? await tx.workflowNode.findMany({
        where: { workflowId: wf.id },
        orderBy: [{ position: "asc" }, { createdAt: "asc" }],
        select: { id: true, name: true },
      })
    : [];
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const fields: string[] = [];
  const removed = order.filter((n) => !opts.nodes.some((f) => same(f.name, n.name)));
  for (const n of removed) {
    fields.push(`nodes[${n.name}] removed`);
    order.splice(order.indexOf(n), 1);
    if (!dryRun) await deleteNodeIn(tx, { actor, workflow: wf!, nodeId: n.id!, requestId });
  }
  for (const [j, fileNode] of opts.nodes.entries()) {
    let from = order.findIndex((n) => same(n.name, fileNode.name));
    if (from < 0) {
      fields.push(`nodes[${fileNode.name}] added`);
      const created =
        !dryRun && wf ? await createNodeIn(tx, { actor, workflow: wf, input: { name: fileNode.name, position: j }, requestId }) : null;
      order.splice(j, 0, { id: created?.id ?? null, name: fileNode.name });
      from = j;
    } else if (from !== j) {
      fields.push(`nodes[${fileNode.name}] moved`);
      const [moved] = order.splice(from, 1);
      order.splice(j, 0, moved);
      if (!dryRun) await updateNodeIn(tx, { actor, workflow: wf!, nodeId: moved.id!, input: { position: j }, requestId });
    }
    const node = order[j];
    const target: ResolvedTarget | null =
      node.id && wf
        ? {
            type: "node",
            id: node.id,
            label: `${wf.name} / ${node.name}`,
            workspaceId: wf.workspaceId,
            role: "ADMIN",
            where: { nodeId: node.id },
          }
        : null;
    fields.push(
      ...(await reconcileAssignments(ctx, {
        target,
        workspaceId: opts.workspace.id,
        workspaceName: opts.workspace.name,
        entries: fileNode.connectors ?? [],
        path: `${opts.at}.nodes[${j}].connectors`,
        label: `nodes[${node.name}].`,
      })),
    );
    if (fileNode.mcpServers)
      fields.push(
        ...(await reconcileMcpAssignments(ctx, {
          target,
          workspaceId: opts.workspace.id,
          workspaceName: opts.workspace.name,
          entries: fileNode.mcpServers,
          path: `${opts.at}.nodes[${j}].mcpServers`,
          label: `nodes[${node.name}].`,
        })),
      );
  }
  return fields;
}

export const workflowsSection: ConfigSection<WorkflowItem> = {
  key: "workflows",
  item: workflowItem,
  identity: (w) => `${w.workspace.toLowerCase()}/${w.name.toLowerCase()}`,
  secretFields: ["deliverySecret"],
  async apply(items, ctx) {
    const changes: ConfigChange[] = [];
    for (const [i, item] of items.entries()) {
      const at = `workflows[${i}]`;
      try {
        const { workspace, row, change, fields } = await upsertAgent("workflow", i, item, ctx);
        if (workspace) fields.push(...(await reconcileDelivery(ctx, { kind: "workflow", row, item, at })));
        if (workspace && item.nodes) {
          const workflow = row ? { id: row.id, name: row.name, workspaceId: workspace.id } : null;
          fields.push(...(await reconcileNodes(ctx, { workflow, workspace, nodes: item.nodes, at })));
        }
        changes.push(finish(change, fields));
      } catch (e) {
        throw atItem(e, at);
      }
    }
    return changes;
  },
  async export(tx: Tx) {
    const rows = await tx.workflow.findMany({
      select: {
        ...agentSelect,
        deliveryUrl: true,
        deliveryInternal: true,
        deliverySecretId: true,
        workspace: { select: { name: true } },
        nodes: {
          select: { name: true, assignments: { select: assignmentExportSelect }, mcpAssignments: { select: mcpAssignmentExportSelect } },
          orderBy: [{ position: "asc" }, { createdAt: "asc" }],
        },
      },
      orderBy: [{ workspace: { name: "asc" } }, { name: "asc" }],
    });
    const delivery = await exportDelivery(tx, rows);
    return rows.map((r) => ({
      name: r.name,
      workspace: r.workspace.name,
      ...(r.description ? { description: r.description } : {}),
      ...delivery(r),
      nodes: r.nodes.map((n) => ({
        name: n.name,
        ...(n.assignments.length ? { connectors: exportAssignments(n.assignments) } : {}),
        ...(n.mcpAssignments.length ? { mcpServers: exportMcpAssignments(n.mcpAssignments) } : {}),
      })),
    }));
  },
};
