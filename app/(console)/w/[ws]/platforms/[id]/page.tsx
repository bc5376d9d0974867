import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PlatformDetail } from "@/components/platforms/platform-detail";
import { getPlatform } from "@/lib/platforms/get-platform";
import { isAppError } from "@/lib/errors";
import { requirePage } from "@/app/(console)/guard";

export const metadata: Metadata = { title: "Platform" };

export default async function PlatformPage({ params }: { params: Promise<{ ws: string; id: string }> }) {
  const { ws, id } = await params;
  const ctx = await requirePage(ws, "platforms");
  const platform = await getPlatform({ actor: ctx.actor, platformId: id }).catch((e) => {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw e;
  });
  return <PlatformDetail ws={ctx.workspace.slug} initial={platform} canManage={ctx.instanceAdmin} />;
}
