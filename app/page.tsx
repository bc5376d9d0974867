import { redirect } from "next/navigation";
import { currentUserActor } from "@/lib/auth/request-actor";
import { workspacesForSwitcher } from "@/lib/workspaces/list-workspaces";

export const dynamic = "force-dynamic";

export default async function Home() {
  const actor = await currentUserActor();
  if (!actor) redirect("/login");
  const workspaces = await workspacesForSwitcher(actor);
  if (!workspaces.length) redirect("/no-workspace");
  redirect(`/w/${workspaces[0].slug}`);
}
