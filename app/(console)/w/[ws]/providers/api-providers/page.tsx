import type { Metadata } from "next";
import { ProvidersList } from "@/components/api-providers/providers-list";
import { requirePage } from "@/app/(console)/guard";
import { roleAllows } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Your API Providers" };

export default async function Page({ params }: { params: Promise<{ ws: string }> }) {
  const ctx = await requirePage((await params).ws, "api-providers");
  return (
    <ProvidersList
      workspaceId={ctx.workspace.id}
      ws={ctx.workspace.slug}
      canManage={ctx.instanceAdmin || roleAllows(ctx.role, "integrations.manage")}
    />
  );
}
