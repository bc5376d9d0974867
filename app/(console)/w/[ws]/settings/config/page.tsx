import type { Metadata } from "next";
import { ConfigSettings } from "@/components/settings/config-settings";
import { requirePage } from "@/app/(console)/guard";

export const metadata: Metadata = { title: "Configuration" };

export default async function ConfigPage({ params }: { params: Promise<{ ws: string }> }) {
  await requirePage((await params).ws, "settings.config");
  return <ConfigSettings />;
}
