import type { Metadata } from "next";
import { BudgetsPage } from "@/components/budgets/budgets-page";
import { requirePage } from "@/app/(console)/guard";
import { roleAllows } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Budgets" };

export default async function Budgets({ params }: { params: Promise<{ ws: string }> }) {
  const ctx = await requirePage((await params).ws, "budgets");
  // Builders see budgets and alerts; only workspace Admins (and instance admins) change them (the API refuses anyone else).
  return <BudgetsPage workspaceId={ctx.workspace.id} canManage={ctx.instanceAdmin || roleAllows(ctx.role, "budgets.manage")} />;
}
