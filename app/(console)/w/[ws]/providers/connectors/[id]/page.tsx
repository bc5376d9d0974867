import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { ConnectorDetail } from "@/components/connectors/connector-detail";
import { MyConnectorDetail } from "@/components/connectors/my-connectors";
import { getConnector } from "@/lib/connectors/get-connector";
import { roleAllows } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { getMyConnector } from "@/lib/oauth/my-connectors";
import { redirectUriFromHeaders } from "@/lib/oauth/redirect-uri";
import { requirePage } from "@/app/(console)/guard";

export const metadata: Metadata = { title: "Connector" };

const notFoundOn404 = (e: unknown): never => {
  if (isAppError(e) && e.code === "not_found") notFound();
  throw e;
};

export default async function ConnectorPage({ params }: { params: Promise<{ ws: string; id: string }> }) {
  const { ws, id } = await params;
  const ctx = await requirePage(ws, "connectors");
  if (!ctx.instanceAdmin && !roleAllows(ctx.role, "integrations.read")) {
    // Members: read-only, and only a connector they may connect their own account to.
    const mine = await getMyConnector({ actor: ctx.actor, connectorId: id }).catch(notFoundOn404);
    if (mine.workspaceId !== ctx.workspace.id) notFound();
    return <MyConnectorDetail ws={ctx.workspace.slug} initial={mine} email={ctx.actor.email} />;
  }
  const connector = await getConnector({ actor: ctx.actor, connectorId: id }).catch(notFoundOn404);
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
