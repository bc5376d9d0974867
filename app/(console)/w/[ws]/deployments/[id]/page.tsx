import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DeploymentDetail } from "@/components/deployments/deployment-detail";
import { requirePage } from "@/app/(console)/guard";
import { getDeployment } from "@/lib/deployments/list-deployments";
import { isAppError } from "@/lib/errors";

export const metadata: Metadata = { title: "Deployment" };

export default async function DeploymentPage({ params }: { params: Promise<{ ws: string; id: string }> }) {
  const { ws, id } = await params;
  const ctx = await requirePage(ws, "deployments");
  const deployment = await getDeployment({ actor: ctx.actor, deploymentId: id }).catch((e) => {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw e;
  });
  return <DeploymentDetail ws={ctx.workspace.slug} initial={deployment} canManage={ctx.instanceAdmin} />;
}
