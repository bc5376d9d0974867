import type { Metadata } from "next";
import { headers } from "next/headers";
import { CatalogBrowser } from "@/components/catalog/catalog-browser";
import { requirePage } from "@/app/(console)/guard";
import { roleAllows } from "@/lib/auth/permissions";
import { addedFromCatalog } from "@/lib/catalog/providers/list-catalog";
import { redirectUriFromHeaders } from "@/lib/oauth/redirect-uri";

export const metadata: Metadata = { title: "Central repository" };

export default async function Page({ params }: { params: Promise<{ ws: string }> }) {
  const ctx = await requirePage((await params).ws, "catalog");
  const canRead = ctx.instanceAdmin || roleAllows(ctx.role, "integrations.read");
  const added = canRead ? await addedFromCatalog({ actor: ctx.actor, workspaceId: ctx.workspace.id }) : {};
  return (
    <CatalogBrowser
      workspaceId={ctx.workspace.id}
      ws={ctx.workspace.slug}
      canAdd={ctx.instanceAdmin || roleAllows(ctx.role, "integrations.manage")}
      canMarkInternal={ctx.instanceAdmin || ctx.role === "ADMIN"}
      initialAdded={added}
      redirectUri={redirectUriFromHeaders(await headers())}
    />
  );
}
