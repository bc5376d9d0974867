import type { Metadata } from "next";
import { LATER_SECTIONS, LaterSectionPage } from "@/components/shell/later-sections";
import { requirePage } from "@/app/(console)/guard";

export const metadata: Metadata = { title: LATER_SECTIONS["usage"].title };

export default async function Page({ params }: { params: Promise<{ ws: string }> }) {
  await requirePage((await params).ws, "usage");
  return <LaterSectionPage section="usage" />;
}
