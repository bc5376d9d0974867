import { db } from "../db/client";
import { CallToolResultSchema, McpError, ErrorCode } from "@modelcontextprotocol/sdk/types.js";
import { OutboundBlockedError } from "../outbound/fetch";
import { logger } from "../log";
import { cleanOptional } from "../usage/clean-text";
import type { CallToolResultDto } from "../schemas/mcp";
import { describeMcpError } from "./client";
import { McpAuthRequiredError } from "./oauth-token";
import { openServerSession, StdioRefusedError, targetSelect } from "./target";

// One tool call through Switchboard: the server and the tool are read with the workspace in the `where` (another
// workspace's server is "not found"), only the server's configured headers are sent, the call is bounded in
// time and its result in size, and every call is recorded (McpCall) without arguments or results.

export const MCP_CALL_TIMEOUT_MS = 60_000;
export const MAX_RESULT_BYTES = 1024 * 1024;

export type McpCallOutcome = "ok" | "tool_error" | "upstream_error" | "timeout" | "refused" | "too_large" | "failed";

export class McpCallError extends Error {
  constructor(
    readonly kind: "not_found" | "disabled" | "upstream" | "timeout" | "refused" | "too_large" | "not_connected",
    message: string,
  ) {
    super(message);
  }
}

export interface McpCallInput {
  workspaceId: string;
  serverId: string;
  tool: string;
  args: Record<string, unknown>;
  keyId?: string | null;
  actorId?: string | null;
  endUserId?: string | null;
  agent?: string | null;
  signal?: AbortSignal;
  timeoutMs?: number;
}

async function record(input: McpCallInput, outcome: McpCallOutcome, errorCode: string | null, started: number) {
  await db.mcpCall
    .create({
      data: {
        workspaceId: input.workspaceId,
        serverId: input.serverId,
        keyId: input.keyId ?? null,
        actorId: input.actorId ?? null,
        endUserId: cleanOptional(input.endUserId ?? null, 256),
        agent: cleanOptional(input.agent ?? null, 256),
        tool: input.tool.slice(0, 256),
        outcome,
        errorCode,
        latencyMs: Math.max(0, Math.round(performance.now() - started)),
      },
      select: { id: true },
    })
    .catch((e: unknown) => logger.warn("mcp: call record not saved", { serverId: input.serverId, error: e }));
}

function classify(e: unknown): { outcome: McpCallOutcome; error: McpCallError } {
  if (e instanceof McpCallError)
    return { outcome: e.kind === "too_large" ? "too_large" : e.kind === "timeout" ? "timeout" : "failed", error: e };
  // The precise reason (with the operator's allow-list) is for the server's lastError, not for callers.
  if (e instanceof StdioRefusedError)
    return {
      outcome: "refused",
      error: new McpCallError("refused", "This stdio MCP server may not run: stdio is switched off or its command is no longer allowed"),
    };
  for (let c: unknown = e, i = 0; c && i < 5; c = (c as { cause?: unknown }).cause, i++) {
    if (c instanceof OutboundBlockedError)
      return { outcome: "refused", error: new McpCallError("refused", "The MCP server's address is not allowed") };
    // The server's OAuth connection is missing or must be authorized again (found opening the session, or when a
    // refused token could not be renewed mid-session): an Admin's to fix, not the caller's.
    if (c instanceof McpAuthRequiredError) return { outcome: "failed", error: new McpCallError("not_connected", c.message) };
  }
  if (e instanceof McpError && e.code === ErrorCode.RequestTimeout)
    return { outcome: "timeout", error: new McpCallError("timeout", "The MCP server did not answer in time") };
  if ((e as Error)?.name === "TimeoutError" || (e as Error)?.name === "AbortError")
    return { outcome: "timeout", error: new McpCallError("timeout", "The MCP server did not answer in time") };
  return { outcome: "upstream_error", error: new McpCallError("upstream", `The MCP server failed: ${describeMcpError(e)}`) };
}

/** Calls an enabled tool; throws McpCallError (recorded) when no result came. A tool's own error is a result with isError. */
export async function callMcpTool(input: McpCallInput): Promise<CallToolResultDto> {
  const server = await db.mcpServer.findFirst({
    where: { id: input.serverId, workspaceId: input.workspaceId },
    select: {
      ...targetSelect,
      tools: { where: { name: input.tool }, select: { enabled: true } },
    },
  });
  if (!server) throw new McpCallError("not_found", "MCP server not found");
  const tool = server.tools[0];
  if (!tool) throw new McpCallError("not_found", `The MCP server has no tool named ${input.tool}`);
  if (!tool.enabled) throw new McpCallError("disabled", `The tool ${input.tool} is switched off`);
  const started = performance.now();
  const timeoutMs = input.timeoutMs ?? MCP_CALL_TIMEOUT_MS;
  let session;
  try {
    session = await openServerSession(server, { timeoutMs });
    const raw = await session.client.callTool({ name: input.tool, arguments: input.args }, CallToolResultSchema, {
      timeout: timeoutMs,
      signal: input.signal,
    });
    const size = Buffer.byteLength(JSON.stringify(raw));
    if (size > MAX_RESULT_BYTES)
      throw new McpCallError("too_large", `The tool's result (${size} bytes) is larger than ${MAX_RESULT_BYTES} bytes`);
    const result: CallToolResultDto = {
      content: (raw.content ?? []) as Record<string, unknown>[],
      isError: raw.isError === true,
      ...(raw.structuredContent ? { structuredContent: raw.structuredContent as Record<string, unknown> } : {}),
    };
    await record(input, result.isError ? "tool_error" : "ok", null, started);
    return result;
  } catch (e) {
    const { outcome, error } = classify(e);
    await record(input, outcome, error.kind, started);
    throw error;
  } finally {
    await session?.close();
  }
}
