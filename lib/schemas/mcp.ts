import { z, idSchema, listQuerySchema, textSchema } from "./zod";

// MCP servers of a workspace: one schema per input, shared by the console's dialog, the admin API and the
// `mcpServers` section of the configuration file.

export const MCP_TRANSPORTS = ["streamable-http", "sse", "stdio"] as const;
export type McpTransport = (typeof MCP_TRANSPORTS)[number];
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

// How Switchboard authenticates to a server: nothing, its stored headers (a static bearer token, an API key), or
// OAuth as the MCP authorization specification describes it (the workspace's connection, made by an Admin).
export const MCP_AUTH_TYPES = ["none", "headers", "oauth"] as const;
export const MCP_OAUTH_STATUSES = ["not_connected", "active", "needs_reauth"] as const;

const oauthClientIdSchema = z.string().trim().min(1, "Required").max(500, "Must be at most 500 characters");
const oauthClientSecretSchema = z
  .string()
  .min(1, "Required")
  .max(4096, "Must be at most 4096 characters")
  .regex(/^[^\r\n\0]*$/, "Must be one line");
export const mcpOAuthScopesSchema = z
  .array(
    z
      .string()
      .trim()
      .min(1, "Required")
      .max(200)
      .regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, "A scope has no spaces or quotes"),
  )
  .max(50, "At most 50 scopes");

/**
 * `auth`: left out, a server with headers authenticates with them and one without sends nothing. For OAuth a
 * client id (and secret) registered with the server's authorization server may be given; without one Switchboard
 * registers itself dynamically (RFC 7591) when the server offers it. Scopes default to what the server asks for.
 */
export const mcpAuthSchema = z.strictObject({
  type: z.enum(MCP_AUTH_TYPES),
  clientId: oauthClientIdSchema.optional(),
  clientSecret: oauthClientSecretSchema.optional().describe("Stored as a credential, answered never"),
  scopes: mcpOAuthScopesSchema.optional(),
});
export type McpAuthInput = z.infer<typeof mcpAuthSchema>;

/** On an edit: a field left out keeps its value; clientId or clientSecret null removes it. */
export const mcpAuthUpdateSchema = z.strictObject({
  type: z.enum(MCP_AUTH_TYPES),
  clientId: oauthClientIdSchema.nullable().optional(),
  clientSecret: oauthClientSecretSchema.nullable().optional(),
  scopes: mcpOAuthScopesSchema.optional(),
});
export type McpAuthUpdateInput = z.infer<typeof mcpAuthUpdateSchema>;

/** Authentication is an HTTP matter: these answer `auth.type` on a stdio server. */
export const MCP_OAUTH_HTTP_ONLY =
  "OAuth is only for HTTP servers (streamable-http or sse); a stdio server takes its secrets as environment variables (env): choose no authentication";
export const MCP_HEADERS_HTTP_ONLY =
  "Header authentication is only for HTTP servers (streamable-http or sse); a stdio server takes its secrets as environment variables (env): choose no authentication";

/**
 * A stdio server's command: an absolute path or a bare name looked up in PATH, exactly as the operator listed it
 * in SWITCHBOARD_MCP_STDIO_COMMANDS (no relative paths, no shell: arguments go in `args`).
 */
export const mcpCommandSchema = z
  .string()
  .trim()
  .min(1, "Required")
  .max(500, "Must be at most 500 characters")
  .regex(/^(\/[^\0\r\n]+|[A-Za-z0-9._+-]+)$/, "Give an absolute path or a bare command name (no relative path, no arguments)");

export const mcpArgsSchema = z
  .array(
    z
      .string()
      .max(2000, "Must be at most 2000 characters")
      .regex(/^[^\0]*$/, "Must not contain NUL"),
  )
  .max(50, "At most 50 arguments");

/**
 * Variables that change which program runs or what it loads before its own code (the loader, the runtime's
 * start-up options, the command search path): with one of them, an allowed command runs anything, so the operator's
 * allow-list would mean nothing. Refused by name, any case.
 */
const LOADER_ENV =
  /^(PATH|HOME|SHELL|ENV|BASH_ENV|IFS|LD_.*|DYLD_.*|NODE_OPTIONS|NODE_PATH|NODE_EXTRA_CA_CERTS|PYTHON.*|PERL5.*|PERLLIB|RUBYOPT|RUBYLIB|JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|JDK_JAVA_OPTIONS|GIT_.*|NPM_CONFIG_.*|UV_.*|PIP_.*)$/i;

export function isLoaderEnvName(name: string): boolean {
  return LOADER_ENV.test(name);
}

export const mcpEnvNameSchema = z
  .string()
  .trim()
  .min(1, "Required")
  .max(100)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "Use letters, digits and _ (not starting with a digit)")
  .refine((n) => !isLoaderEnvName(n), "This variable changes which program runs or what it loads; it cannot be set");

const envValueSchema = z
  .string()
  .min(1, "Required")
  .max(8192, "Must be at most 8192 characters")
  .regex(/^[^\0]*$/, "Must not contain NUL");

/** A stdio server's environment variables: values are secrets (stored as credentials, answered as masks). */
export const mcpEnvSchema = z
  .array(z.strictObject({ name: mcpEnvNameSchema, value: envValueSchema }))
  .max(50, "At most 50 variables")
  .refine(uniqueNames, "Each variable name only once");

type Shape = {
  transport?: McpTransport;
  url?: string;
  command?: string;
  args?: string[];
  env?: unknown[];
  headers?: unknown[];
  auth?: { type?: string };
};

/** What each transport needs: a URL for HTTP ones; a command (and no URL, headers or OAuth) for stdio. */
export function checkTransportFields(v: Shape, ctx: z.RefinementCtx) {
  if (v.transport === "stdio") {
    if (!v.command) ctx.addIssue({ code: "custom", path: ["command"], message: "Required for a stdio server" });
    if (v.url) ctx.addIssue({ code: "custom", path: ["url"], message: "A stdio server has no URL" });
    if (v.headers?.length) ctx.addIssue({ code: "custom", path: ["headers"], message: "A stdio server has no headers: use env" });
    if (v.auth?.type === "oauth") ctx.addIssue({ code: "custom", path: ["auth", "type"], message: MCP_OAUTH_HTTP_ONLY });
    if (v.auth?.type === "headers") ctx.addIssue({ code: "custom", path: ["auth", "type"], message: MCP_HEADERS_HTTP_ONLY });
    return;
  }
  const url = mcpUrlSchema.safeParse(v.url ?? "");
  if (!url.success) ctx.addIssue({ code: "custom", path: ["url"], message: url.error.issues[0].message });
  if (v.command) ctx.addIssue({ code: "custom", path: ["command"], message: "Only a stdio server has a command" });
  if (v.args?.length) ctx.addIssue({ code: "custom", path: ["args"], message: "Only a stdio server has arguments" });
  if (v.env?.length) ctx.addIssue({ code: "custom", path: ["env"], message: "Only a stdio server has environment variables" });
}

export const createMcpServerFields = z.strictObject({
  name: mcpServerNameSchema,
  transport: z.enum(MCP_TRANSPORTS).default("streamable-http"),
  url: z.string().trim().max(2048, "Must be at most 2048 characters").default("").describe("Required for streamable-http and sse"),
  headers: mcpHeadersSchema.default([]),
  auth: mcpAuthSchema.optional(),
  internal: z.boolean().default(false).describe("Allow private and loopback addresses (Admins only)"),
  command: mcpCommandSchema.optional().describe("stdio only: an allow-listed absolute path or bare command name (Admins only)"),
  args: mcpArgsSchema.default([]).describe("stdio only: the command's arguments"),
  env: mcpEnvSchema.default([]).describe("stdio only: environment variables; values are stored as credentials"),
});
export const createMcpServerSchema = createMcpServerFields.superRefine(checkTransportFields);
export type CreateMcpServerInput = z.infer<typeof createMcpServerSchema>;

export const updateMcpServerSchema = z.strictObject({
  name: mcpServerNameSchema.optional(),
  transport: z.enum(MCP_TRANSPORTS).optional(),
  url: z.string().trim().max(2048, "Must be at most 2048 characters").optional(),
  headers: z
    .array(z.strictObject({ name: mcpHeaderNameSchema, value: headerValueSchema.optional() }))
    .max(20, "At most 20 headers")
    .refine(uniqueNames, "Each header name only once")
    .optional()
    .describe("The full list of headers; a header given without a value keeps its stored value"),
  auth: mcpAuthUpdateSchema.optional(),
  internal: z.boolean().optional(),
  command: mcpCommandSchema.optional(),
  args: mcpArgsSchema.optional(),
  env: z
    .array(z.strictObject({ name: mcpEnvNameSchema, value: envValueSchema.optional() }))
    .max(50, "At most 50 variables")
    .refine(uniqueNames, "Each variable name only once")
    .optional()
    .describe("stdio: the full list of variables; one given without a value keeps its stored value"),
});
export type UpdateMcpServerInput = z.infer<typeof updateMcpServerSchema>;

export const mcpServerScopeQuerySchema = z.object({ workspaceId: idSchema });
export const mcpServerQuerySchema = listQuerySchema.extend({ workspaceId: idSchema, status: z.enum(MCP_STATUSES).optional() });
export type McpServerQuery = z.infer<typeof mcpServerQuerySchema>;

export const mcpOAuthStatusSchema = z.object({
  status: z.enum(MCP_OAUTH_STATUSES),
  connected: z.boolean(),
  needsReauth: z.boolean(),
  scopes: z.array(z.string()).describe("Granted scopes when connected; else the ones that will be asked for"),
  configuredScopes: z.array(z.string()).describe("The scopes set on the server (auth.scopes); empty: what the server asks for"),
  expiresAt: z.iso.datetime().nullable().describe("When the access token expires (it is refreshed before)"),
  clientId: z.string().nullable(),
  clientSource: z.enum(["configured", "dynamic"]).nullable().describe("configured on the server, or registered dynamically"),
  hasClientSecret: z.boolean(),
  authorizationServer: z.string().nullable(),
  connectedBy: z.string().nullable(),
  connectedAt: z.iso.datetime().nullable(),
  lastError: z.string(),
});
export type McpOAuthStatusDto = z.output<typeof mcpOAuthStatusSchema>;

export const mcpOAuthAuthorizeSchema = z.object({
  url: z.string().describe("The authorization server's consent page: send the Admin's browser there"),
  expiresAt: z.iso.datetime().describe("The authorization must complete before this time"),
});
export type McpOAuthAuthorizeDto = z.output<typeof mcpOAuthAuthorizeSchema>;

export const mcpServerDtoSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  transport: z.enum(MCP_TRANSPORTS),
  url: z.string().describe("Empty for stdio"),
  headers: z.array(z.object({ name: z.string(), mask: z.string() })).describe("Values as masks only"),
  authType: z.enum(MCP_AUTH_TYPES),
  oauth: mcpOAuthStatusSchema.nullable().describe("The workspace's OAuth connection (authType oauth); tokens are never answered"),
  command: z.string().nullable().describe("stdio: the command"),
  args: z.array(z.string()),
  env: z.array(z.object({ name: z.string(), mask: z.string() })).describe("stdio: variables, values as masks only"),
  internal: z.boolean(),
  status: z.enum(MCP_STATUSES),
  lastError: z.string(),
  statusAt: z.iso.datetime().nullable(),
  serverName: z.string().nullable(),
  serverVersion: z.string().nullable(),
  toolCount: z.number().int(),
  enabledToolCount: z.number().int(),
  resourceCount: z.number().int(),
  promptCount: z.number().int(),
  watched: z.boolean().describe("The server announces list changes: Switchboard keeps a session open and refreshes on them"),
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

/** Whether the operator allows stdio servers here, and the commands they may run (the register dialog's choices). */
export const mcpStdioPolicySchema = z.object({ enabled: z.boolean(), commands: z.array(z.string()) });
export const mcpServerPageSchema = z.object({
  data: z.array(mcpServerDtoSchema),
  nextCursor: z.string().nullable(),
  stdio: mcpStdioPolicySchema,
});

export const mcpResourceDtoSchema = z.object({
  uri: z.string(),
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  mimeType: z.string().optional(),
});
export const mcpResourceTemplateDtoSchema = z.object({
  uriTemplate: z.string(),
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  mimeType: z.string().optional(),
});
export type McpResourceDto = z.output<typeof mcpResourceDtoSchema>;
export type McpResourceTemplateDto = z.output<typeof mcpResourceTemplateDtoSchema>;
export const mcpResourceListSchema = z.object({
  data: z.array(mcpResourceDtoSchema),
  templates: z.array(mcpResourceTemplateDtoSchema),
});

export const mcpPromptDtoSchema = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  arguments: z.array(z.object({ name: z.string(), description: z.string().optional(), required: z.boolean().optional() })),
});
export type McpPromptDto = z.output<typeof mcpPromptDtoSchema>;
export const mcpPromptListSchema = z.object({ data: z.array(mcpPromptDtoSchema) });

export const readMcpResourceSchema = z.strictObject({ uri: z.string().trim().min(1, "Required").max(2048) });
export const getMcpPromptSchema = z.strictObject({
  name: z.string().min(1, "Required").max(256),
  arguments: z.record(z.string(), z.string().max(10_000)).default({}),
});
export const mcpResourceContentsSchema = z
  .object({ contents: z.array(z.record(z.string(), z.unknown())) })
  .describe("The MCP ReadResourceResult");
export const mcpPromptResultSchema = z
  .object({ description: z.string().optional(), messages: z.array(z.record(z.string(), z.unknown())) })
  .describe("The MCP GetPromptResult");
