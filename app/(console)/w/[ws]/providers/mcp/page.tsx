import type { Metadata } from "next";
import { McpServersList } from "@/components/mcp/mcp-servers-list";
import { requirePage } from "@/app/(console)/guard";
import { roleAllows } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "MCP Servers" };

export default async function Page({ params }: { params: Promise<{ ws: string }> }) {
  const ctx = await requirePage((await params).ws, "mcp");
  return (
    <McpServersList
      workspaceId={ctx.workspace.id}
      ws={ctx.workspace.slug}
      canManage={ctx.instanceAdmin || roleAllows(ctx.role, "integrations.manage")}
      canMarkInternal={ctx.instanceAdmin || ctx.role === "ADMIN"}
    />
  );
}
