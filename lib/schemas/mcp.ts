import { z, idSchema, listQuerySchema, textSchema } from "./zod";

// MCP servers of a workspace: one schema per input, shared by the console's dialog, the admin API and the
// `mcpServers` section of the configuration file.

export const MCP_TRANSPORTS = ["streamable-http", "sse"] as const;
export const MCP_STATUSES = ["untested", "active", "failing"] as const;
export const MCP_CALL_OUTCOMES = ["ok", "tool_error", "upstream_error", "timeout", "refused", "too_large", "failed"] as const;

export const mcpServerNameSchema = textSchema({ max: 60 })
  .min(2, "Must be at least 2 characters")
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._:/-]*$/u, "Use letters, digits, spaces and . _ : / -");

export const mcpUrlSchema = z
  .string()
  .trim()
  .min(1, "Required")
  .max(2048, "Must be at most 2048 characters")
  .regex(/^https?:\/\/[^\s]+$/i, "Enter an http(s) URL");

// Headers the transport sets itself, or that would change what the request is.
const RESERVED_HEADERS = new Set([
  "host",
  "content-length",
  "content-type",
  "accept",
  "connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
  "keep-alive",
  "proxy-authorization",
  "mcp-session-id",
  "mcp-protocol-version",
  "last-event-id",
]);

export const mcpHeaderNameSchema = z
  .string()
  .trim()
  .min(1, "Required")
  .max(100)
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "Not a valid header name")
  .refine((n) => !RESERVED_HEADERS.has(n.toLowerCase()), "Switchboard sets this header itself");

const headerValueSchema = z
  .string()
  .min(1, "Required")
  .max(8192, "Must be at most 8192 characters")
  .regex(/^[^\r\n\0]*$/, "Must be one line");

function uniqueNames(headers: { name: string }[]) {
  return new Set(headers.map((h) => h.name.toLowerCase())).size === headers.length;
}

/** Header values are secrets (a bearer token, an API key): stored as credentials, answered as masks. */
export const mcpHeadersSchema = z
  .array(z.strictObject({ name: mcpHeaderNameSchema, value: headerValueSchema }))
  .max(20, "At most 20 headers")
  .refine(uniqueNames, "Each header name only once");

export const createMcpServerSchema = z.strictObject({
  name: mcpServerNameSchema,
  transport: z.enum(MCP_TRANSPORTS).default("streamable-http"),
  url: mcpUrlSchema,
  headers: mcpHeadersSchema.default([]),
  internal: z.boolean().default(false).describe("Allow private and loopback addresses (Admins only)"),
});
export type CreateMcpServerInput = z.infer<typeof createMcpServerSchema>;

export const updateMcpServerSchema = z.strictObject({
  name: mcpServerNameSchema.optional(),
  transport: z.enum(MCP_TRANSPORTS).optional(),
  url: mcpUrlSchema.optional(),
  headers: z
    .array(z.strictObject({ name: mcpHeaderNameSchema, value: headerValueSchema.optional() }))
    .max(20, "At most 20 headers")
    .refine(uniqueNames, "Each header name only once")
    .optional()
    .describe("The full list of headers; a header given without a value keeps its stored value"),
  internal: z.boolean().optional(),
});
export type UpdateMcpServerInput = z.infer<typeof updateMcpServerSchema>;

export const mcpServerScopeQuerySchema = z.object({ workspaceId: idSchema });
export const mcpServerQuerySchema = listQuerySchema.extend({ workspaceId: idSchema, status: z.enum(MCP_STATUSES).optional() });
export type McpServerQuery = z.infer<typeof mcpServerQuerySchema>;

export const mcpServerDtoSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  transport: z.enum(MCP_TRANSPORTS),
  url: z.string(),
  headers: z.array(z.object({ name: z.string(), mask: z.string() })).describe("Values as masks only"),
  internal: z.boolean(),
  status: z.enum(MCP_STATUSES),
  lastError: z.string(),
  statusAt: z.iso.datetime().nullable(),
  serverName: z.string().nullable(),
  serverVersion: z.string().nullable(),
  toolCount: z.number().int(),
  enabledToolCount: z.number().int(),
  source: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type McpServerDto = z.output<typeof mcpServerDtoSchema>;

export const mcpToolDtoSchema = z.object({
  name: z.string(),
  description: z.string(),
  inputSchema: z.record(z.string(), z.unknown()).describe("The tool's JSON Schema for its arguments, as the server gave it"),
  enabled: z.boolean(),
});
export type McpToolDto = z.output<typeof mcpToolDtoSchema>;
export const mcpToolListSchema = z.object({ data: z.array(mcpToolDtoSchema) });

export const mcpToolNameSchema = z.string().min(1).max(256);
export const mcpToolParamsSchema = z.object({ id: idSchema, name: mcpToolNameSchema });
export const updateMcpToolSchema = z.strictObject({ enabled: z.boolean() });

/** Tool arguments: a JSON object checked by the MCP server against its own schema. */
export const mcpToolArgumentsSchema = z.record(z.string(), z.unknown());
export const callMcpToolSchema = z.strictObject({ arguments: mcpToolArgumentsSchema.default({}) });

export const callToolResultSchema = z
  .object({
    content: z.array(z.record(z.string(), z.unknown())),
    isError: z.boolean(),
    structuredContent: z.record(z.string(), z.unknown()).optional(),
  })
  .describe("The MCP CallToolResult");
export type CallToolResultDto = z.output<typeof callToolResultSchema>;

export const mcpCallQuerySchema = listQuerySchema.omit({ q: true }).extend({
  outcome: z.enum(MCP_CALL_OUTCOMES).optional(),
  tool: mcpToolNameSchema.optional(),
});
export type McpCallQuery = z.infer<typeof mcpCallQuerySchema>;

export const mcpCallDtoSchema = z.object({
  id: z.string(),
  tool: z.string(),
  outcome: z.enum(MCP_CALL_OUTCOMES),
  errorCode: z.string().nullable(),
  latencyMs: z.number().int(),
  endUserId: z.string().nullable(),
  agent: z.string().nullable(),
  keyId: z.string().nullable(),
  actorId: z.string().nullable().describe("Set when a person tried the tool from the console"),
  createdAt: z.iso.datetime(),
});
export type McpCallDto = z.output<typeof mcpCallDtoSchema>;
export const mcpCallPageSchema = z.object({ data: z.array(mcpCallDtoSchema), nextCursor: z.string().nullable() });
