import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { WebhookDetail } from "@/components/webhooks/webhook-detail";
import { getWebhook } from "@/lib/webhooks/list-endpoints";
import { roleAllows } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { requirePage } from "@/app/(console)/guard";
import { publicOrigin } from "@/app/(console)/public-origin";

export const metadata: Metadata = { title: "Incoming webhook" };

export default async function WebhookPage({ params }: { params: Promise<{ ws: string; id: string }> }) {
  const { ws, id } = await params;
  const ctx = await requirePage(ws, "webhooks");
  const hook = await getWebhook({ actor: ctx.actor, endpointId: id }).catch((e) => {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw e;
  });
  // An endpoint of another workspace is not shown under this one.
  if (hook.workspaceId !== ctx.workspace.id) notFound();
  return (
    <WebhookDetail
      ws={ctx.workspace.slug}
      origin={await publicOrigin()}
      initial={hook}
      canManage={ctx.instanceAdmin || roleAllows(ctx.role, "integrations.manage")}
    />
  );
}
