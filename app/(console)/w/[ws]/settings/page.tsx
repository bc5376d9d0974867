import type { Metadata } from "next";
import { roleAllows } from "@/lib/auth/permissions";
import { GeneralSettings } from "@/components/settings/general-settings";
import { LoggingSettings } from "@/components/settings/logging-settings";
import { requirePage } from "@/app/(console)/guard";

export const metadata: Metadata = { title: "General settings" };

export default async function GeneralSettingsPage({ params }: { params: Promise<{ ws: string }> }) {
  const ctx = await requirePage((await params).ws, "settings.general");
  const canEdit = roleAllows(ctx.role, "workspace.update");
  return (
    <div className="space-y-6">
      <GeneralSettings workspace={ctx.workspace} canEdit={canEdit} canDelete={ctx.instanceAdmin && roleAllows(ctx.role, "workspace.delete")} />
      {canEdit && <LoggingSettings workspaceId={ctx.workspace.id} />}
    </div>
  );
}
