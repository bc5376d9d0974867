import type { Tx } from "../db/types";
import { AppError, notFound } from "../errors";
import type { ToolBinding, ToolList } from "../schemas/agents";
import { connectorOperations } from "./connector-operations";
import { assignToolNames } from "./tool-names";

// The tools available at a worker, a workflow node or a skill, in OpenAI's `tools` format, with a parallel
// `data` list saying where to call each one. Exactly what is assigned there: enabled operations of the assigned
// connectors and enabled tools of the assigned MCP servers of the target's own workspace, never anything else.

export interface ToolTarget {
  type: "worker" | "node" | "skill";
  id: string;
  name: string;
  workspaceId: string;
}

type ConnectorPick = {
  connector: { id: string; name: string };
  op: Awaited<ReturnType<typeof connectorOperations>>[number];
};
type McpPick = {
  server: { id: string; name: string };
  tool: { name: string; description: string; inputSchema: unknown };
};

/** One tool of a list: what a model is handed (OpenAI's shape) and where it is called. */
export interface ToolEntry {
  tool: ToolList["tools"][number];
  binding: ToolBinding;
}

const connectorSelect = {
  id: true,
  name: true,
  providerId: true,
  pinnedVersionId: true,
  provider: { select: { currentVersionId: true } },
} as const;
const mcpToolSelect = { name: true, description: true, inputSchema: true } as const;

/** An MCP tool's input schema as a tool parameter schema: always an object schema. */
function objectSchema(schema: unknown): Record<string, unknown> {
  const s = schema && typeof schema === "object" && !Array.isArray(schema) ? (schema as Record<string, unknown>) : {};
  return s.type === "object" ? s : { ...s, type: "object" };
}

/**
 * Names every pick (connector operations first, so their names do not move when MCP tools are added) and pairs
 * each tool with where it is called.
 */
function entries(connectors: ConnectorPick[], mcp: McpPick[]): ToolEntry[] {
  const names = assignToolNames([
    ...connectors.map((p) => ({ connectorId: p.connector.id, connectorName: p.connector.name, toolName: p.op.toolName })),
    ...mcp.map((p) => ({ connectorId: p.server.id, connectorName: p.server.name, toolName: p.tool.name })),
  ]);
  const out: ToolEntry[] = connectors.map((p, i) => ({
    tool: {
      type: "function",
      function: { name: names[i], description: `${p.connector.name}: ${p.op.description}`, parameters: p.op.inputSchema },
    },
    binding: {
      kind: "connector",
      name: names[i],
      connectorId: p.connector.id,
      connectorName: p.connector.name,
      operationId: p.op.operationId,
      method: p.op.method,
      path: p.op.path,
      callPath: `/api/v1/tools/${encodeURIComponent(p.connector.id)}/${encodeURIComponent(p.op.operationId)}`,
    },
  }));
  mcp.forEach((p, j) => {
    const name = names[connectors.length + j];
    const description = p.tool.description ? `${p.server.name}: ${p.tool.description}` : `${p.server.name}: ${p.tool.name}`;
    out.push({
      tool: { type: "function", function: { name, description, parameters: objectSchema(p.tool.inputSchema) } },
      binding: {
        kind: "mcp",
        name,
        serverId: p.server.id,
        serverName: p.server.name,
        tool: p.tool.name,
        callPath: `/api/v1/mcp/${encodeURIComponent(p.server.id)}/tools/${encodeURIComponent(p.tool.name)}`,
      },
    });
  });
  return out;
}

/** The tools assigned at a worker, node or skill: connector operations and MCP tools, each enabled. */
export async function toolEntriesFor(tx: Tx, target: ToolTarget): Promise<ToolEntry[]> {
  const field = target.type === "worker" ? "workerId" : target.type === "node" ? "nodeId" : "skillId";
  const assignments = await tx.connectorAssignment.findMany({
    where: { [field]: target.id, workspaceId: target.workspaceId, connector: { workspaceId: target.workspaceId } },
    select: { operationIds: true, connector: { select: connectorSelect } },
    orderBy: [{ connector: { name: "asc" } }, { connectorId: "asc" }],
  });
  const picked: ConnectorPick[] = [];
  for (const a of assignments) {
    const only = a.operationIds.length ? new Set(a.operationIds) : null;
    for (const op of await connectorOperations(tx, a.connector)) {
      if (op.enabled && (!only || only.has(op.operationId))) picked.push({ connector: a.connector, op });
    }
  }
  const mcpAssignments = await tx.mcpToolAssignment.findMany({
    where: { [field]: target.id, workspaceId: target.workspaceId, server: { workspaceId: target.workspaceId } },
    select: {
      toolNames: true,
      server: {
        select: {
          id: true,
          name: true,
          tools: { where: { enabled: true }, select: mcpToolSelect, orderBy: [{ position: "asc" }, { name: "asc" }] },
        },
      },
    },
    orderBy: [{ server: { name: "asc" } }, { serverId: "asc" }],
  });
  const mcp: McpPick[] = [];
  for (const a of mcpAssignments) {
    const only = a.toolNames.length ? new Set(a.toolNames) : null;
    for (const tool of a.server.tools) if (!only || only.has(tool.name)) mcp.push({ server: a.server, tool });
  }
  return entries(picked, mcp);
}

/**
 * Every tool of a workspace, for its aggregated MCP server (/api/v1/mcp): the enabled operations of each of its
 * connectors and the enabled tools of each of its MCP servers.
 */
export async function workspaceToolEntries(tx: Tx, workspaceId: string): Promise<ToolEntry[]> {
  const connectors = await tx.connector.findMany({
    where: { workspaceId },
    select: connectorSelect,
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
  const picked: ConnectorPick[] = [];
  for (const c of connectors) for (const op of await connectorOperations(tx, c)) if (op.enabled) picked.push({ connector: c, op });
  const servers = await tx.mcpServer.findMany({
    where: { workspaceId },
    select: {
      id: true,
      name: true,
      tools: { where: { enabled: true }, select: mcpToolSelect, orderBy: [{ position: "asc" }, { name: "asc" }] },
    },
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
  const mcp: McpPick[] = servers.flatMap((server) => server.tools.map((tool) => ({ server, tool })));
  return entries(picked, mcp);
}

export async function toolListFor(tx: Tx, target: ToolTarget): Promise<ToolList> {
  const list = await toolEntriesFor(tx, target);
  return {
    object: "list",
    target: { type: target.type, id: target.id, name: target.name },
    tools: list.map((e) => e.tool),
    data: list.map((e) => e.binding),
    ...(target.type === "worker" ? { mcpPath: `/api/v1/mcp/workers/${encodeURIComponent(target.id)}` } : {}),
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
