import type { Metadata } from "next";
import { WebhooksList } from "@/components/webhooks/webhooks-list";
import { requirePage } from "@/app/(console)/guard";
import { roleAllows } from "@/lib/auth/permissions";
import { publicOrigin } from "@/app/(console)/public-origin";

export const metadata: Metadata = { title: "Incoming Webhooks" };

export default async function Page({ params }: { params: Promise<{ ws: string }> }) {
  const ctx = await requirePage((await params).ws, "webhooks");
  return (
    <WebhooksList
      workspaceId={ctx.workspace.id}
      ws={ctx.workspace.slug}
      origin={await publicOrigin()}
      canManage={ctx.instanceAdmin || roleAllows(ctx.role, "integrations.manage")}
    />
  );
}
