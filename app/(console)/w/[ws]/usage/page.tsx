import type { Metadata } from "next";
import { UsageReportView } from "@/components/usage/usage-report";
import { parseUsageView } from "@/components/usage/filters";
import { usageScope } from "@/lib/usage/scope";
import { requirePage } from "@/app/(console)/guard";

export const metadata: Metadata = { title: "Usage" };

export default async function UsagePage({
  params,
  searchParams,
}: {
  params: Promise<{ ws: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await requirePage((await params).ws, "usage");
  const view = parseUsageView(await searchParams);
  // The "all workspaces" scope is offered to those who can read more than this one.
  const scope = await usageScope(ctx.actor);
  const canSeeAll = scope.workspaceIds === null || scope.workspaceIds.length > 1;
  return (
    <UsageReportView
      workspace={{ id: ctx.workspace.id, name: ctx.workspace.name, slug: ctx.workspace.slug }}
      view={canSeeAll ? view : { ...view, scope: "workspace" }}
      canSeeAll={canSeeAll}
    />
  );
}
