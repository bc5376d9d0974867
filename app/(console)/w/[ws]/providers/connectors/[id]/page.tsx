import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { ConnectorDetail } from "@/components/connectors/connector-detail";
import { getConnector } from "@/lib/connectors/get-connector";
import { roleAllows } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { redirectUriFromHeaders } from "@/lib/oauth/redirect-uri";
import { requirePage } from "@/app/(console)/guard";

export const metadata: Metadata = { title: "Connector" };

export default async function ConnectorPage({ params }: { params: Promise<{ ws: string; id: string }> }) {
  const { ws, id } = await params;
  const ctx = await requirePage(ws, "connectors");
  const connector = await getConnector({ actor: ctx.actor, connectorId: id }).catch((e) => {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw e;
  });
  // A connector of another workspace is not shown under this one.
  if (connector.workspaceId !== ctx.workspace.id) notFound();
  return (
    <ConnectorDetail
      ws={ctx.workspace.slug}
      initial={connector}
      canManage={ctx.instanceAdmin || roleAllows(ctx.role, "integrations.manage")}
      canMarkInternal={ctx.instanceAdmin || ctx.role === "ADMIN"}
      redirectUri={redirectUriFromHeaders(await headers())}
      userEmail={ctx.actor.email}
    />
  );
}
