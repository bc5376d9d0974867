import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AgentDetail } from "@/components/agents/agent-detail";
import { getAgent } from "@/lib/agents/get-agent";
import { roleAllows } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { requirePage } from "@/app/(console)/guard";
import { publicOrigin } from "@/app/(console)/public-origin";

export const metadata: Metadata = { title: "Worker" };

export default async function Page({ params }: { params: Promise<{ ws: string; id: string }> }) {
  const { ws, id } = await params;
  const ctx = await requirePage(ws, "agents.workers");
  const agent = await getAgent({ actor: ctx.actor, kind: "worker", id }).catch((e) => {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw e;
  });
  // One of another workspace is not shown under this one.
  if (agent.workspaceId !== ctx.workspace.id) notFound();
  return (
    <AgentDetail
      initial={agent}
      ws={ctx.workspace.slug}
      canManage={ctx.instanceAdmin || roleAllows(ctx.role, "integrations.manage")}
      canMarkInternal={ctx.instanceAdmin || ctx.role === "ADMIN"}
      origin={await publicOrigin()}
    />
  );
}
