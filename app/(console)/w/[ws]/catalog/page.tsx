import type { Metadata } from "next";
import { LATER_SECTIONS, LaterSectionPage } from "@/components/shell/later-sections";
import { requirePage } from "@/app/(console)/guard";

export const metadata: Metadata = { title: LATER_SECTIONS["catalog"].title };

export default async function Page({ params }: { params: Promise<{ ws: string }> }) {
  await requirePage((await params).ws, "catalog");
  return <LaterSectionPage section="catalog" />;
}
