import type { Metadata } from "next";
import { workspacesForSwitcher } from "@/lib/workspaces/list-workspaces";
import { AuditLog } from "@/components/settings/audit-log";
import { AUDIT_FILTERS, type AuditFilters } from "@/components/settings/audit-filters";
import { requirePage } from "@/app/(console)/guard";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ ws: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await requirePage((await params).ws, "settings.audit");
  const sp = await searchParams;
  const filters: AuditFilters = {};
  for (const k of AUDIT_FILTERS) {
    const v = sp[k];
    if (typeof v === "string" && v) filters[k] = v.slice(0, 200);
  }
  const workspaces = await workspacesForSwitcher(ctx.actor);
  return (
    <AuditLog
      filters={filters}
      workspace={{ id: ctx.workspace.id, name: ctx.workspace.name }}
      workspaceNames={Object.fromEntries(workspaces.map((w) => [w.id, w.name]))}
      canSeeAll={ctx.instanceAdmin}
    />
  );
}
