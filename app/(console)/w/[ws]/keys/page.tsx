import type { Metadata } from "next";
import { KeysList } from "@/components/keys/keys-list";
import { requirePage } from "@/app/(console)/guard";
import { roleAllows } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "API keys" };

export default async function KeysPage({ params }: { params: Promise<{ ws: string }> }) {
  const ctx = await requirePage((await params).ws, "keys");
  // Builders read the list; only workspace Admins (and instance admins) create, edit or revoke (the API refuses anyone else).
  return <KeysList workspaceId={ctx.workspace.id} canManage={ctx.instanceAdmin || roleAllows(ctx.role, "gatewayKeys.manage")} />;
}
