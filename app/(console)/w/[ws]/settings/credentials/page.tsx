import type { Metadata } from "next";
import { CredentialsSettings } from "@/components/settings/credentials-settings";
import { requirePage } from "@/app/(console)/guard";

export const metadata: Metadata = { title: "Credentials" };

export default async function CredentialsPage({ params }: { params: Promise<{ ws: string }> }) {
  const ctx = await requirePage((await params).ws, "settings.credentials");
  return <CredentialsSettings workspaceId={ctx.workspace.id} workspaceName={ctx.workspace.name} instanceAdmin={ctx.instanceAdmin} />;
}
