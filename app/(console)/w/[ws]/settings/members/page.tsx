import type { Metadata } from "next";
import { roleAllows } from "@/lib/auth/permissions";
import { MembersSettings } from "@/components/settings/members-settings";
import { requirePage } from "@/app/(console)/guard";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ ws: string }> }) {
  const ctx = await requirePage((await params).ws, "settings.members");
  return <MembersSettings workspaceId={ctx.workspace.id} canManage={roleAllows(ctx.role, "members.manage")} currentUserId={ctx.actor.id} />;
}
