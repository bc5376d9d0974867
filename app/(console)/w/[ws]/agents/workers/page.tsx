import type { Metadata } from "next";
import { AgentsList } from "@/components/agents/agents-list";
import { requirePage } from "@/app/(console)/guard";
import { roleAllows } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Workers" };

export default async function Page({ params }: { params: Promise<{ ws: string }> }) {
  const ctx = await requirePage((await params).ws, "agents.workers");
  return (
    <AgentsList
      kind="worker"
      workspaceId={ctx.workspace.id}
      ws={ctx.workspace.slug}
      canManage={ctx.instanceAdmin || roleAllows(ctx.role, "integrations.manage")}
    />
  );
}
