import { authenticate, fetchBinding, nodeBinding, type GwRequest } from "../gateway/handler";
import { GatewayError, invalidRequest } from "../gateway/errors";
import type { GwResponse } from "../gateway/pipeline";
import { touchVirtualKey } from "../gateway/snapshot";
import { depthProblem, MAX_JSON_DEPTH } from "../http/json-depth";
import { isDatabaseUnavailable } from "../db/errors";
import { logger } from "../log";
import { callTool } from "./call-tool";

// POST /api/v1/tools/{connectorId}/{operationId}: a lean data-plane handler (served from node:http by the custom
// server, and through app/api/v1 under `next dev`). Same key, attribution headers and error shape as the
// gateway: `Authorization: Bearer <workspace key>`, `X-User-Id`, `X-Agent-Id`, `{ error: { message, type, code, param } }`.
// The answer is 200 `{ status, headers, body, bodyEncoding }` with the API's answer, whatever its status.

export const TOOL_CALL_PREFIX = "/api/v1/tools/";
const MAX_INPUT_BYTES = 4 * 1024 * 1024;

function send(res: GwResponse, status: number, body: unknown, requestId: string, extra: Record<string, string> = {}) {
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

/** The two ids of the path, decoded; null when the path is not exactly /api/v1/tools/{a}/{b}. */
export function toolCallTarget(pathname: string): { connectorId: string; operationId: string } | null {
  if (!pathname.startsWith(TOOL_CALL_PREFIX)) return null;
  const parts = pathname.slice(TOOL_CALL_PREFIX.length).replace(/\/$/, "").split("/");
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  try {
    const [connectorId, operationId] = parts.map(decodeURIComponent);
    if (connectorId.length > 64 || operationId.length > 256) return null;
    return { connectorId, operationId };
  } catch {
    return null;
  }
}

async function readInput(req: GwRequest): Promise<Record<string, unknown>> {
  const tooLarge = () =>
    new GatewayError(
      413,
      "invalid_request_error",
      "request_too_large",
      `The request body is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MB.`,
    );
  if (Number(req.header("content-length") ?? "0") > MAX_INPUT_BYTES) throw tooLarge();
  const buf = await req.readBody(MAX_INPUT_BYTES);
  if (buf === null) throw tooLarge();
  // An operation without parameters may be called with no body at all.
  if (!buf.length) return {};
  let input: unknown;
  try {
    input = JSON.parse(buf.toString("utf8"));
  } catch {
    throw invalidRequest("We could not parse the JSON body of your request.", "invalid_json");
  }
  if (!input || typeof input !== "object" || Array.isArray(input))
    throw invalidRequest("The request body must be a JSON object: the operation's input.", "invalid_json");
  const deep = depthProblem(input);
  if (deep)
    throw invalidRequest(`The input is nested more than ${MAX_JSON_DEPTH} levels deep at '${deep.path}'.`, "nesting_too_deep", deep.path);
  return input as Record<string, unknown>;
}

export async function handleToolCall(req: GwRequest, res: GwResponse): Promise<void> {
  try {
    const target = toolCallTarget(req.pathname);
    if (!target) throw new GatewayError(404, "invalid_request_error", "unknown_url", `Unknown request URL: ${req.method} ${req.pathname}.`);
    if (req.method !== "POST") throw new GatewayError(405, "invalid_request_error", "method_not_allowed", "Use POST to call a tool.");
    const { key } = await authenticate(req);
    const input = await readInput(req);
    touchVirtualKey(key.id);
    // The client going away aborts the API call too.
    const abort = new AbortController();
    const onGone = () => abort.abort();
    req.signal.addEventListener("abort", onGone, { once: true });
    try {
      const answer = await callTool({
        workspaceId: key.workspaceId,
        keyId: key.id,
        ...target,
        input,
        endUserId: req.header("x-user-id") || null,
        agent: req.header("x-agent-id") || null,
        signal: abort.signal,
      });
      send(res, 200, answer, req.requestId);
    } finally {
      req.signal.removeEventListener("abort", onGone);
    }
  } catch (e) {
    if (e instanceof GatewayError) return send(res, e.status, e.toJSON(), req.requestId);
    // Unlike inference, a tool call reads its connector from the database: while that is down, say so.
    if (isDatabaseUnavailable(e)) {
      const down = new GatewayError(
        503,
        "service_unavailable",
        "database_unavailable",
        "Connectors cannot be read right now. Retry shortly.",
      );
      return send(res, 503, down.toJSON(), req.requestId, { "retry-after": "5" });
    }
    logger.error("tool call failed", { requestId: req.requestId, error: e });
    send(res, 500, new GatewayError(500, "server_error", "internal_error", "The tool call could not be handled.").toJSON(), req.requestId);
  }
}

export const toolCallNodeHandler = nodeBinding(handleToolCall);
export const toolCallFetchHandler = fetchBinding(handleToolCall);
