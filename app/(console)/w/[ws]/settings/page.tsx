import type { Metadata } from "next";
import { roleAllows } from "@/lib/auth/permissions";
import { GeneralSettings } from "@/components/settings/general-settings";
import { LoggingSettings } from "@/components/settings/logging-settings";
import { UsageDataSettings } from "@/components/settings/usage-data-settings";
import { requirePage } from "@/app/(console)/guard";

export const metadata: Metadata = { title: "General settings" };

export default async function GeneralSettingsPage({ params }: { params: Promise<{ ws: string }> }) {
  const ctx = await requirePage((await params).ws, "settings.general");
  const canEdit = roleAllows(ctx.role, "workspace.update");
  return (
    <GeneralSettings workspace={ctx.workspace} canEdit={canEdit} canDelete={ctx.instanceAdmin && roleAllows(ctx.role, "workspace.delete")}>
      {roleAllows(ctx.role, "usage.read") && <UsageDataSettings workspaceId={ctx.workspace.id} canEdit={canEdit} />}
      {canEdit && <LoggingSettings workspaceId={ctx.workspace.id} />}
    </GeneralSettings>
  );
}
