import type { Metadata } from "next";
import { ModelDetail } from "@/components/models/model-detail";
import { requirePage } from "@/app/(console)/guard";

export const metadata: Metadata = { title: "LLM Model" };

export default async function ModelPage({ params }: { params: Promise<{ ws: string; id: string }> }) {
  const { ws, id } = await params;
  const ctx = await requirePage(ws, "models");
  return <ModelDetail modelId={id} workspaceSlug={ctx.workspace.slug} canManage={ctx.instanceAdmin} />;
}
