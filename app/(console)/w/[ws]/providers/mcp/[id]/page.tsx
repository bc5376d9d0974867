import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { McpServerDetail } from "@/components/mcp/mcp-server-detail";
import { getMcpServer } from "@/lib/mcp/list-servers";
import { roleAllows } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { requirePage } from "@/app/(console)/guard";

export const metadata: Metadata = { title: "MCP server" };

export default async function McpServerPage({ params }: { params: Promise<{ ws: string; id: string }> }) {
  const { ws, id } = await params;
  const ctx = await requirePage(ws, "mcp");
  const server = await getMcpServer({ actor: ctx.actor, serverId: id }).catch((e) => {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw e;
  });
  // A server of another workspace is not shown under this one.
  if (server.workspaceId !== ctx.workspace.id) notFound();
  return (
    <McpServerDetail
      ws={ctx.workspace.slug}
      initial={server}
      canManage={ctx.instanceAdmin || roleAllows(ctx.role, "integrations.manage")}
    />
  );
}
