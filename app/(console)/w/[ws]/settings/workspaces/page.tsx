import type { Metadata } from "next";
import { WorkspacesSettings } from "@/components/settings/workspaces-settings";
import { requirePage } from "@/app/(console)/guard";

export const metadata: Metadata = { title: "Workspaces" };

export default async function WorkspacesPage({
  params,
  searchParams,
}: {
  params: Promise<{ ws: string }>;
  searchParams: Promise<{ create?: string }>;
}) {
  const ctx = await requirePage((await params).ws, "settings.workspaces");
  return <WorkspacesSettings currentSlug={ctx.workspace.slug} openCreate={(await searchParams).create === "1"} />;
}
