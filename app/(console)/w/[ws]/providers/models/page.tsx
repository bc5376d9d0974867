import type { Metadata } from "next";
import { Suspense } from "react";
import { ModelsList } from "@/components/models/models-list";
import { requirePage } from "@/app/(console)/guard";

export const metadata: Metadata = { title: "LLM Models" };

export default async function ModelsPage({ params }: { params: Promise<{ ws: string }> }) {
  const ctx = await requirePage((await params).ws, "models");
  return (
    <Suspense>
      <ModelsList workspaceSlug={ctx.workspace.slug} canManage={ctx.instanceAdmin} />
    </Suspense>
  );
}
