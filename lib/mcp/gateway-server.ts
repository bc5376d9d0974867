import crypto from "node:crypto";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
} from "@modelcontextprotocol/sdk/types.js";
import { db } from "../db/client";
import { isDatabaseUnavailable } from "../db/errors";
import { logger } from "../log";
import { authenticate, fetchBinding, MAX_BODY_BYTES, nodeBinding, type GwRequest } from "../gateway/handler";
import { GatewayError } from "../gateway/errors";
import type { GwResponse } from "../gateway/pipeline";
import { touchVirtualKey, type SnapVirtualKey } from "../gateway/snapshot";
import { toolEntriesFor, workspaceToolEntries, type ToolEntry } from "../agents/tool-list";
import { callTool } from "../tools/call-tool";
import type { ToolAnswer } from "../tools/send";
import { callMcpTool, MAX_RESULT_BYTES, McpCallError } from "./call-tool";
import { MCP_TOOL_PREFIX, handleMcpToolCall } from "./handler";
import { argumentProblem } from "./tool-arguments";

// Switchboard as an MCP server (Streamable HTTP, stateless: no sessions, JSON answers), for a workspace key:
//   /api/v1/mcp                      every enabled tool of the key's workspace: its connectors' enabled operations
//                                    (REST turned into MCP tools) and its MCP servers' enabled tools;
//   /api/v1/mcp/workers/{workerId}   a virtual server with exactly the tools assigned to that worker.
// Names are those of GET /api/v1/tools (`<connector or server>__<tool>`). A call goes through the same code as the
// REST data plane (credentials, X-User-Id, outbound guard, size cap, call records). No token passthrough: the
// client's Authorization stays here, and nothing the upstream answered in headers goes back.

export const MCP_GATEWAY_PATH = "/api/v1/mcp";
export const MCP_WORKER_PREFIX = "/api/v1/mcp/workers/";

const SERVER_INFO = { name: "switchboard", version: "1.0.0" };

/** The worker of /api/v1/mcp/workers/{id} (null for /api/v1/mcp); undefined when the path is neither. */
export function gatewayTarget(pathname: string): { workerId: string | null } | undefined {
  const p = pathname.length > 1 ? pathname.replace(/\/$/, "") : pathname;
  if (p === MCP_GATEWAY_PATH) return { workerId: null };
  if (!p.startsWith(MCP_WORKER_PREFIX)) return undefined;
  const rest = p.slice(MCP_WORKER_PREFIX.length);
  if (!rest || rest.includes("/")) return undefined;
  try {
    const id = decodeURIComponent(rest);
    return id.length <= 64 && /^[A-Za-z0-9_-]+$/.test(id) ? { workerId: id } : undefined;
  } catch {
    return undefined;
  }
}

function sendJson(res: GwResponse, status: number, body: unknown, requestId: string, extra: Record<string, string> = {}) {
  const data = JSON.stringify(body);
  res.head(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(data)),
    "cache-control": "no-store",
    "x-request-id": requestId,
    ...extra,
  });
  res.end(data);
}

const rpcError = (code: number, message: string) => ({ jsonrpc: "2.0", error: { code, message }, id: null });

/** A tool result saying what went wrong, for failures of the tool itself (the model can read it and go on). */
const failed = (text: string): CallToolResult => ({ content: [{ type: "text", text }], isError: true });

/** A connector's HTTP answer as an MCP tool result: the body as text (JSON also as structured content), never its headers. */
export function answerAsResult(answer: ToolAnswer): CallToolResult {
  const isError = answer.status >= 400;
  const prefix = isError ? `HTTP ${answer.status}: ` : "";
  const type = answer.headers["content-type"] ?? "application/octet-stream";
  let result: CallToolResult;
  switch (answer.bodyEncoding) {
    case "json": {
      const structured = answer.body && typeof answer.body === "object" && !Array.isArray(answer.body);
      result = {
        content: [{ type: "text", text: prefix + JSON.stringify(answer.body) }],
        ...(structured ? { structuredContent: answer.body as Record<string, unknown> } : {}),
      };
      break;
    }
    case "text":
      result = { content: [{ type: "text", text: prefix + String(answer.body) }] };
      break;
    case "base64":
      result = type.startsWith("image/")
        ? { content: [{ type: "image", data: String(answer.body), mimeType: type.split(";")[0] }] }
        : { content: [{ type: "text", text: `${prefix}A binary answer (${type}), base64: ${String(answer.body)}` }] };
      break;
    default:
      result = { content: [{ type: "text", text: `HTTP ${answer.status} (no body)` }] };
  }
  return isError ? { ...result, isError: true } : result;
}

/** The result, or an error result when it is larger than the cap (the call went through). */
function capped(result: CallToolResult): CallToolResult {
  const size = Buffer.byteLength(JSON.stringify(result));
  if (size <= MAX_RESULT_BYTES) return result;
  return failed(
    `The tool's result (${size} bytes) is larger than ${MAX_RESULT_BYTES} bytes; the call went through but its result is not returned.`,
  );
}

interface CallerContext {
  key: SnapVirtualKey;
  endUserId: string | null;
  agent: string | null;
  signal: AbortSignal;
}

async function callEntry(entry: ToolEntry, args: Record<string, unknown>, ctx: CallerContext): Promise<CallToolResult> {
  const b = entry.binding;
  if (b.kind === "mcp") {
    const schema = entry.tool.function.parameters;
    const hash = crypto.createHash("sha256").update(JSON.stringify(schema)).digest("hex").slice(0, 16);
    const problem = argumentProblem(`${b.serverId}:${b.tool}:${hash}`, schema, args);
    if (problem) throw new McpError(ErrorCode.InvalidParams, `Invalid arguments: ${problem}`);
    try {
      const result = await callMcpTool({
        workspaceId: ctx.key.workspaceId,
        keyId: ctx.key.id,
        serverId: b.serverId,
        tool: b.tool,
        args,
        endUserId: ctx.endUserId,
        agent: ctx.agent,
        signal: ctx.signal,
      });
      return capped(result as CallToolResult);
    } catch (e) {
      if (!(e instanceof McpCallError)) throw e;
      if (e.kind === "not_found" || e.kind === "disabled") throw new McpError(ErrorCode.InvalidParams, `${e.message}.`);
      return failed(`${e.message}.`);
    }
  }
  try {
    const answer = await callTool({
      workspaceId: ctx.key.workspaceId,
      keyId: ctx.key.id,
      connectorId: b.connectorId,
      operationId: b.operationId,
      input: args,
      endUserId: ctx.endUserId,
      agent: ctx.agent,
      signal: ctx.signal,
    });
    return capped(answerAsResult(answer));
  } catch (e) {
    if (!(e instanceof GatewayError)) throw e;
    if (["invalid_input", "operation_not_found", "operation_disabled", "connector_not_found"].includes(e.code))
      throw new McpError(ErrorCode.InvalidParams, e.message);
    return failed(e.message);
  }
}

/** A fresh MCP server for one request (stateless), offering `load()`'s tools. */
function buildServer(load: () => Promise<ToolEntry[]>, ctx: CallerContext, instructions: string): Server {
  const server = new Server(SERVER_INFO, { capabilities: { tools: {} }, instructions });
  let entries: Promise<ToolEntry[]> | null = null;
  const tools = () => (entries ??= load());
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: (await tools()).map((e) => ({
      name: e.tool.function.name,
      description: e.tool.function.description,
      inputSchema: e.tool.function.parameters as { type: "object"; [k: string]: unknown },
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const entry = (await tools()).find((e) => e.tool.function.name === request.params.name);
    if (!entry) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    const signal = AbortSignal.any([ctx.signal, extra.signal]);
    return callEntry(entry, (request.params.arguments ?? {}) as Record<string, unknown>, { ...ctx, signal });
  });
  return server;
}

/** The lean handler of /api/v1/mcp and /api/v1/mcp/workers/{id}. */
export async function handleMcpGateway(req: GwRequest, res: GwResponse): Promise<void> {
  const target = gatewayTarget(req.pathname);
  try {
    if (!target) throw new GatewayError(404, "invalid_request_error", "unknown_url", `Unknown request URL: ${req.method} ${req.pathname}.`);
    const { key } = await authenticate(req);
    // Stateless: no stream for server-initiated messages, no session to end.
    if (req.method !== "POST")
      return sendJson(
        res,
        405,
        rpcError(-32000, "Method not allowed: this MCP server is stateless; send requests with POST."),
        req.requestId,
        {
          allow: "POST",
        },
      );
    let worker: { id: string; name: string } | null = null;
    if (target.workerId) {
      worker = await db.worker.findFirst({
        where: { id: target.workerId, workspaceId: key.workspaceId },
        select: { id: true, name: true },
      });
      if (!worker) throw new GatewayError(404, "invalid_request_error", "not_found", "Worker not found in this key's workspace.");
    }
    if (Number(req.header("content-length") ?? "0") > MAX_BODY_BYTES)
      return sendJson(res, 413, rpcError(-32600, "The request body is too large."), req.requestId);
    const buf = await req.readBody(MAX_BODY_BYTES);
    if (buf === null) return sendJson(res, 413, rpcError(-32600, "The request body is too large."), req.requestId);
    let parsed: unknown;
    try {
      parsed = JSON.parse(buf.toString("utf8"));
    } catch {
      return sendJson(res, 400, rpcError(ErrorCode.ParseError, "Parse error: the body is not JSON."), req.requestId);
    }
    touchVirtualKey(key.id);

    const abort = new AbortController();
    const onGone = () => abort.abort();
    req.signal.addEventListener("abort", onGone, { once: true });
    const ctx: CallerContext = {
      key,
      endUserId: req.header("x-user-id") || null,
      agent: req.header("x-agent-id") || worker?.name || null,
      signal: abort.signal,
    };
    const w = worker;
    const server = w
      ? buildServer(
          () => toolEntriesFor(db, { type: "worker", id: w.id, name: w.name, workspaceId: key.workspaceId }),
          ctx,
          `The tools assigned to the worker ${w.name} in Switchboard.`,
        )
      : buildServer(() => workspaceToolEntries(db, key.workspaceId), ctx, "Every enabled tool of this Switchboard workspace.");
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    try {
      await server.connect(transport);
      const headers = new Headers();
      for (const h of ["accept", "content-type", "mcp-protocol-version", "mcp-session-id"]) {
        const v = req.header(h);
        if (v) headers.set(h, v);
      }
      const answer = await transport.handleRequest(new Request(`http://switchboard${req.pathname}`, { method: "POST", headers }), {
        parsedBody: parsed,
      });
      const body = answer.status === 202 ? "" : await answer.text();
      const out: Record<string, string> = { "cache-control": "no-store", "x-request-id": req.requestId };
      const type = answer.headers.get("content-type");
      if (type) out["content-type"] = type;
      out["content-length"] = String(Buffer.byteLength(body));
      res.head(answer.status, out);
      res.end(body);
    } finally {
      req.signal.removeEventListener("abort", onGone);
      await server.close().catch(() => {});
    }
  } catch (e) {
    if (e instanceof GatewayError)
      return sendJson(
        res,
        e.status,
        e.toJSON(),
        req.requestId,
        e.status === 401 ? { "www-authenticate": 'Bearer realm="switchboard"' } : {},
      );
    if (isDatabaseUnavailable(e)) {
      const down = new GatewayError(503, "service_unavailable", "database_unavailable", "Tools cannot be read right now. Retry shortly.");
      return sendJson(res, 503, down.toJSON(), req.requestId, { "retry-after": "5" });
    }
    logger.error("mcp gateway failed", { requestId: req.requestId, error: e });
    sendJson(res, 500, rpcError(ErrorCode.InternalError, "The MCP request could not be handled."), req.requestId);
  }
}

/** POST under /api/v1/mcp/: the worker's virtual server, or a tool call of one server (`/{serverId}/tools/{name}`). */
export async function handleMcpPost(req: GwRequest, res: GwResponse): Promise<void> {
  if (gatewayTarget(req.pathname)) return handleMcpGateway(req, res);
  return handleMcpToolCall(req, res);
}

export { MCP_TOOL_PREFIX };
export const mcpGatewayNodeHandler = nodeBinding(handleMcpGateway);
export const mcpGatewayFetchHandler = fetchBinding(handleMcpGateway);
export const mcpPostNodeHandler = nodeBinding(handleMcpPost);
export const mcpPostFetchHandler = fetchBinding(handleMcpPost);
