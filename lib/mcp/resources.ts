import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { AppError, notFound } from "../errors";
import { logger } from "../log";
import type { McpPromptDto, McpResourceDto, McpResourceTemplateDto } from "../schemas/mcp";
import { requireMcpServerAccess } from "./access";
import { describeMcpError, type McpSession } from "./client";
import { MAX_RESULT_BYTES } from "./call-tool";
import { McpAuthRequiredError } from "./oauth-token";
import { openServerSession, targetSelect } from "./target";

// The resources, resource templates and prompts a server offered at its last discovery (stored on the server
// row), and reading one resource or getting one prompt from the console: one session, bounded in time and size,
// audited without the arguments or contents.

const READ_TIMEOUT_MS = 30_000;
const list = <T>(raw: unknown): T[] => (Array.isArray(raw) ? (raw as T[]) : []);

export async function listMcpResources(opts: {
  actor: Actor;
  serverId: string;
}): Promise<{ data: McpResourceDto[]; templates: McpResourceTemplateDto[] }> {
  const { workspaceId } = await requireMcpServerAccess(opts.actor, opts.serverId, "integrations.read");
  const row = await db.mcpServer.findFirst({ where: { id: opts.serverId, workspaceId }, select: { resources: true, templates: true } });
  if (!row) throw notFound("MCP server");
  return { data: list<McpResourceDto>(row.resources), templates: list<McpResourceTemplateDto>(row.templates) };
}

export async function listMcpPrompts(opts: { actor: Actor; serverId: string }): Promise<{ data: McpPromptDto[] }> {
  const { workspaceId } = await requireMcpServerAccess(opts.actor, opts.serverId, "integrations.read");
  const row = await db.mcpServer.findFirst({ where: { id: opts.serverId, workspaceId }, select: { prompts: true } });
  if (!row) throw notFound("MCP server");
  return { data: list<McpPromptDto>(row.prompts).map((p) => ({ ...p, arguments: p.arguments ?? [] })) };
}

async function withServerSession<T>(
  opts: { actor: Actor; serverId: string; requestId?: string; action: string; label: string },
  fn: (session: McpSession) => Promise<T>,
): Promise<T> {
  const { workspaceId } = await requireMcpServerAccess(opts.actor, opts.serverId, "integrations.manage");
  const server = await db.mcpServer.findFirst({ where: { id: opts.serverId, workspaceId }, select: targetSelect });
  if (!server) throw notFound("MCP server");
  const audit = (outcome: string) =>
    db.$transaction((tx) =>
      recordAudit(tx, {
        actor: opts.actor,
        action: opts.action,
        targetType: "mcp_server",
        targetId: opts.serverId,
        targetLabel: opts.label.slice(0, 200),
        workspaceId,
        changes: { outcome: { from: null, to: outcome } },
        requestId: opts.requestId,
      }),
    );
  let session;
  try {
    session = await openServerSession(server, { timeoutMs: READ_TIMEOUT_MS });
    const result = await fn(session);
    const size = Buffer.byteLength(JSON.stringify(result));
    if (size > MAX_RESULT_BYTES) {
      await audit("too_large");
      throw new AppError("payload_too_large", `The server's answer (${size} bytes) is larger than ${MAX_RESULT_BYTES} bytes`);
    }
    await audit("ok");
    return result;
  } catch (e) {
    if (e instanceof AppError) throw e;
    // An OAuth server without a usable connection: the Admin's next step, as it is.
    const message = e instanceof McpAuthRequiredError ? e.message : describeMcpError(e);
    logger.warn("mcp: console read failed", { serverId: opts.serverId, error: message });
    await audit("failed");
    throw new AppError("unavailable", e instanceof McpAuthRequiredError ? message : `The MCP server failed: ${message}`);
  } finally {
    await session?.close();
  }
}

export async function readMcpResource(opts: { actor: Actor; serverId: string; uri: string; requestId?: string }) {
  return withServerSession({ ...opts, action: "mcp_resource.read", label: opts.uri }, async (s) => {
    const r = await s.client.readResource({ uri: opts.uri }, { timeout: READ_TIMEOUT_MS });
    return { contents: (r.contents ?? []) as Record<string, unknown>[] };
  });
}

export async function getMcpPrompt(opts: {
  actor: Actor;
  serverId: string;
  name: string;
  args: Record<string, string>;
  requestId?: string;
}) {
  return withServerSession({ ...opts, action: "mcp_prompt.get", label: opts.name }, async (s) => {
    const r = await s.client.getPrompt({ name: opts.name, arguments: opts.args }, { timeout: READ_TIMEOUT_MS });
    return {
      ...(r.description ? { description: r.description } : {}),
      messages: (r.messages ?? []) as unknown as Record<string, unknown>[],
    };
  });
}
