import { fetchBinding, nodeBinding } from "../gateway/handler";
import { callHandler } from "../dataplane/call-handler";
import { callTool } from "./call-tool";

// POST /api/v1/tools/{connectorId}/{operationId}: a lean data-plane handler (served from node:http by the custom
// server, and through app/api/v1 under `next dev`). Same key, attribution headers and error shape as the
// gateway: `Authorization: Bearer <workspace key>`, `X-User-Id`, `X-Agent-Id`, `{ error: { message, type, code, param } }`.
// The answer is 200 `{ status, headers, body, bodyEncoding }` with the API's answer, whatever its status.

export const TOOL_CALL_PREFIX = "/api/v1/tools/";

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

export const handleToolCall = callHandler({
  target: toolCallTarget,
  names: { body: "the operation's input", nested: "input is" },
  unavailable: "Connectors cannot be read right now. Retry shortly.",
  failure: "tool call failed",
  call: ({ key, target, input, endUserId, agent, signal }) =>
    callTool({ workspaceId: key.workspaceId, keyId: key.id, ...target, input, endUserId, agent, signal }),
});

export const toolCallNodeHandler = nodeBinding(handleToolCall);
export const toolCallFetchHandler = fetchBinding(handleToolCall);
