import type { Metadata } from "next";
import { TokensSettings } from "@/components/settings/tokens-settings";
import { requirePage } from "@/app/(console)/guard";

export const metadata: Metadata = { title: "Admin tokens" };

export default async function TokensPage({ params }: { params: Promise<{ ws: string }> }) {
  await requirePage((await params).ws, "settings.tokens");
  return <TokensSettings />;
}
