import type { Metadata } from "next";
import { PlatformsList } from "@/components/platforms/platforms-list";
import { requirePage } from "@/app/(console)/guard";

export const metadata: Metadata = { title: "Platforms" };

export default async function PlatformsPage({ params }: { params: Promise<{ ws: string }> }) {
  const ctx = await requirePage((await params).ws, "platforms");
  // Platforms are instance-wide: only instance admins change them (the API refuses anyone else anyway).
  return <PlatformsList ws={ctx.workspace.slug} canManage={ctx.instanceAdmin} />;
}
