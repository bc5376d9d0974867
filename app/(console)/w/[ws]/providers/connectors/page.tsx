import type { Metadata } from "next";
import { headers } from "next/headers";
import { ConnectorsList } from "@/components/connectors/connectors-list";
import { MyConnectorsList } from "@/components/connectors/my-connectors";
import { requirePage } from "@/app/(console)/guard";
import { roleAllows } from "@/lib/auth/permissions";
import { redirectUriFromHeaders } from "@/lib/oauth/redirect-uri";

export const metadata: Metadata = { title: "Your Connectors" };

export default async function Page({ params }: { params: Promise<{ ws: string }> }) {
  const ctx = await requirePage((await params).ws, "connectors");
  // Members: only the connectors they may connect their own account to (lib/oauth/my-connectors.ts).
  if (!ctx.instanceAdmin && !roleAllows(ctx.role, "integrations.read"))
    return <MyConnectorsList workspaceId={ctx.workspace.id} ws={ctx.workspace.slug} />;
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
