import type { Metadata } from "next";
import { headers } from "next/headers";
import { ConnectorsList } from "@/components/connectors/connectors-list";
import { requirePage } from "@/app/(console)/guard";
import { roleAllows } from "@/lib/auth/permissions";
import { redirectUriFromHeaders } from "@/lib/oauth/redirect-uri";

export const metadata: Metadata = { title: "Your Connectors" };

export default async function Page({ params }: { params: Promise<{ ws: string }> }) {
  const ctx = await requirePage((await params).ws, "connectors");
  return (
    <ConnectorsList
      workspaceId={ctx.workspace.id}
      ws={ctx.workspace.slug}
      canManage={ctx.instanceAdmin || roleAllows(ctx.role, "integrations.manage")}
      canMarkInternal={ctx.instanceAdmin || ctx.role === "ADMIN"}
      redirectUri={redirectUriFromHeaders(await headers())}
    />
  );
}
