import type { Metadata } from "next";
import { AgentsList } from "@/components/agents/agents-list";
import { requirePage } from "@/app/(console)/guard";
import { roleAllows } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Skills" };

export default async function Page({ params }: { params: Promise<{ ws: string }> }) {
  const ctx = await requirePage((await params).ws, "agents.skills");
  return (
    <AgentsList
      kind="skill"
      workspaceId={ctx.workspace.id}
      ws={ctx.workspace.slug}
      canManage={ctx.instanceAdmin || roleAllows(ctx.role, "integrations.manage")}
    />
  );
}
