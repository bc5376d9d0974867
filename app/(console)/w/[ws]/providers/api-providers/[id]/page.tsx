import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ProviderDetail } from "@/components/api-providers/provider-detail";
import { getProvider } from "@/lib/providers/get-provider";
import { roleAllows } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { requirePage } from "@/app/(console)/guard";

export const metadata: Metadata = { title: "API provider" };

export default async function ProviderPage({ params }: { params: Promise<{ ws: string; id: string }> }) {
  const { ws, id } = await params;
  const ctx = await requirePage(ws, "api-providers");
  const provider = await getProvider({ actor: ctx.actor, providerId: id }).catch((e) => {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw e;
  });
  // A provider of another workspace is not shown under this one.
  if (provider.workspaceId !== ctx.workspace.id) notFound();
  return (
    <ProviderDetail
      ws={ctx.workspace.slug}
      initial={provider}
      canManage={ctx.instanceAdmin || roleAllows(ctx.role, "integrations.manage")}
    />
  );
}
