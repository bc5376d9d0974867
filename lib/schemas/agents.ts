import { z, idSchema, listQuerySchema, textSchema } from "./zod";

// Where connectors are used: workers, workflows (with nodes) and skills, and the connectors assigned to them.
// One schema per input, shared by the console's dialogs and the admin API.

export const AGENT_KINDS = ["worker", "workflow", "skill"] as const;
export type AgentKind = (typeof AGENT_KINDS)[number];

/** No "/": a workflow node can be named `workflow/node` in `GET /api/v1/tools?node=`. */
export const agentNameSchema = textSchema({ max: 80 })
  .min(2, "Must be at least 2 characters")
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._:()&+-]*$/u, "Use letters, digits, spaces and . _ : ( ) & + -");

export const agentDescriptionSchema = textSchema({ max: 2000, multiline: true });

export const createAgentSchema = z.strictObject({
  name: agentNameSchema,
  description: agentDescriptionSchema.optional(),
});
export type CreateAgentInput = z.infer<typeof createAgentSchema>;

export const updateAgentSchema = z
  .strictObject({ name: agentNameSchema.optional(), description: agentDescriptionSchema.optional() })
  .refine((v) => v.name !== undefined || v.description !== undefined, "Give a name or a description");
export type UpdateAgentInput = z.infer<typeof updateAgentSchema>;

export const nodeNameSchema = agentNameSchema;
export const createNodeSchema = z.strictObject({
  name: nodeNameSchema,
  /** 0-based place among the workflow's nodes; at the end when left out. */
  position: z.number().int().min(0).max(10_000).optional(),
});
export type CreateNodeInput = z.infer<typeof createNodeSchema>;

export const updateNodeSchema = z
  .strictObject({ name: nodeNameSchema.optional(), position: z.number().int().min(0).max(10_000).optional() })
  .refine((v) => v.name !== undefined || v.position !== undefined, "Give a name or a position");
export type UpdateNodeInput = z.infer<typeof updateNodeSchema>;

export const agentQuerySchema = listQuerySchema.extend({ workspaceId: idSchema });
export const agentScopeQuerySchema = z.object({ workspaceId: idSchema });

const operationIdsSchema = z.array(z.string().min(1).max(200)).max(1000);

export const createAssignmentSchema = z.strictObject({
  connectorId: idSchema,
  /** Operations of the connector's provider; for workers and nodes an empty list (or none) means every enabled one. */
  operationIds: operationIdsSchema.optional(),
});
export type CreateAssignmentInput = z.infer<typeof createAssignmentSchema>;

export const updateAssignmentSchema = z.strictObject({ operationIds: operationIdsSchema });
export type UpdateAssignmentInput = z.infer<typeof updateAssignmentSchema>;

const toolNamesSchema = z.array(z.string().min(1).max(256)).max(1000);

/** An MCP server's tools assigned like a connector's operations. */
export const createMcpAssignmentSchema = z.strictObject({
  serverId: idSchema,
  /** Tools of the server (enabled ones); for workers and nodes an empty list (or none) means every enabled tool. */
  toolNames: toolNamesSchema.optional(),
});
export type CreateMcpAssignmentInput = z.infer<typeof createMcpAssignmentSchema>;

export const updateMcpAssignmentSchema = z.strictObject({ toolNames: toolNamesSchema });
export type UpdateMcpAssignmentInput = z.infer<typeof updateMcpAssignmentSchema>;

// ---- read shapes

export const nodeDtoSchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  name: z.string(),
  position: z.number().int(),
  connectorCount: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type NodeDto = z.output<typeof nodeDtoSchema>;

export const agentDtoSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  kind: z.enum(AGENT_KINDS),
  name: z.string(),
  description: z.string(),
  source: z.string(),
  connectorCount: z.number().int().describe("Connectors assigned (for a workflow: over all its nodes)"),
  nodes: z.array(nodeDtoSchema).optional().describe("A workflow's nodes in order"),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type AgentDto = z.output<typeof agentDtoSchema>;

export const assignmentDtoSchema = z.object({
  id: z.string(),
  targetType: z.enum(["worker", "node", "skill"]),
  targetId: z.string(),
  connector: z.object({ id: z.string(), name: z.string(), providerId: z.string(), public: z.boolean(), status: z.string() }),
  operationIds: z.array(z.string()).describe("Empty for a worker or node: every enabled operation"),
  createdAt: z.iso.datetime(),
});
export type AssignmentDto = z.output<typeof assignmentDtoSchema>;

export const mcpAssignmentDtoSchema = z.object({
  id: z.string(),
  targetType: z.enum(["worker", "node", "skill"]),
  targetId: z.string(),
  server: z.object({ id: z.string(), name: z.string(), status: z.string() }),
  toolNames: z.array(z.string()).describe("Empty for a worker or node: every enabled tool of the server"),
  createdAt: z.iso.datetime(),
});
export type McpAssignmentDto = z.output<typeof mcpAssignmentDtoSchema>;

/** OpenAI's `tools` entry, ready to hand to a model. */
export const toolDefinitionSchema = z.object({
  type: z.literal("function"),
  function: z.object({ name: z.string(), description: z.string(), parameters: z.record(z.string(), z.unknown()) }),
});

/** How to call the tool of the same index: a connector operation, `POST /api/v1/tools/{connectorId}/{operationId}`. */
export const connectorToolBindingSchema = z.object({
  kind: z.literal("connector"),
  name: z.string(),
  connectorId: z.string(),
  connectorName: z.string(),
  operationId: z.string(),
  method: z.string(),
  path: z.string(),
  callPath: z.string(),
});

/** An MCP server's tool: `POST /api/v1/mcp/{serverId}/tools/{tool}` with the arguments as the body. */
export const mcpToolBindingSchema = z.object({
  kind: z.literal("mcp"),
  name: z.string(),
  serverId: z.string(),
  serverName: z.string(),
  tool: z.string().describe("The tool's own name on the MCP server"),
  callPath: z.string(),
});

export const toolBindingSchema = z.discriminatedUnion("kind", [connectorToolBindingSchema, mcpToolBindingSchema]);
export type ToolBinding = z.output<typeof toolBindingSchema>;

export const toolListSchema = z.object({
  object: z.literal("list"),
  target: z.object({ type: z.enum(["worker", "node", "skill"]), id: z.string(), name: z.string() }),
  tools: z.array(toolDefinitionSchema),
  data: z.array(toolBindingSchema).describe("One entry per tool, same order and name: where to call it"),
  mcpPath: z.string().optional().describe("A worker's virtual MCP server offering exactly these tools: /api/v1/mcp/workers/{id}"),
});
export type ToolList = z.output<typeof toolListSchema>;
