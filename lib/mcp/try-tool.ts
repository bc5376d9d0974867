import { db } from "../db/client";
import { actorId, type Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { AppError, conflict, notFound } from "../errors";
import type { CallToolResultDto } from "../schemas/mcp";
import { requireMcpServerAccess } from "./access";
import { callMcpTool, McpCallError } from "./call-tool";

/** A person tries a tool from the console (or the admin API): recorded as a call and audited, without the arguments. */
export async function tryMcpTool(opts: {
  actor: Actor;
  serverId: string;
  name: string;
  args: Record<string, unknown>;
  requestId?: string;
}): Promise<CallToolResultDto> {
  const { workspaceId } = await requireMcpServerAccess(opts.actor, opts.serverId, "integrations.manage");
  const audit = (outcome: string) =>
    db.$transaction((tx) =>
      recordAudit(tx, {
        actor: opts.actor,
        action: "mcp_tool.call",
        targetType: "mcp_server",
        targetId: opts.serverId,
        targetLabel: opts.name,
        workspaceId,
        changes: { outcome: { from: null, to: outcome } },
        requestId: opts.requestId,
      }),
    );
  try {
    const result = await callMcpTool({
      workspaceId,
      serverId: opts.serverId,
      tool: opts.name,
      args: opts.args,
      actorId: actorId(opts.actor),
    });
    await audit(result.isError ? "tool_error" : "ok");
    return result;
  } catch (e) {
    if (!(e instanceof McpCallError)) throw e;
    if (e.kind === "not_found") throw notFound("Tool");
    if (e.kind === "disabled") throw conflict(e.message);
    await audit(e.kind);
    if (e.kind === "too_large") throw new AppError("payload_too_large", e.message);
    throw new AppError("unavailable", e.message);
  }
}
