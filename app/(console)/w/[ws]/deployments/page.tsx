import type { Metadata } from "next";
import { DeploymentsList } from "@/components/deployments/deployments-list";
import { requirePage } from "@/app/(console)/guard";

export const metadata: Metadata = { title: "Deployments" };

export default async function DeploymentsPage({ params }: { params: Promise<{ ws: string }> }) {
  const ctx = await requirePage((await params).ws, "deployments");
  return <DeploymentsList ws={ctx.workspace.slug} canManage={ctx.instanceAdmin} />;
}
