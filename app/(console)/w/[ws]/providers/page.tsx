import { redirect } from "next/navigation";
import { PROVIDER_TABS, visible } from "@/components/shell/nav";
import { requirePage } from "@/app/(console)/guard";

export default async function ProvidersIndex({ params }: { params: Promise<{ ws: string }> }) {
  const { ws } = await params;
  const ctx = await requirePage(ws, "connectors");
  const first = visible(PROVIDER_TABS, ctx)[0];
  redirect(`/w/${ctx.workspace.slug}${first.href}`);
}
