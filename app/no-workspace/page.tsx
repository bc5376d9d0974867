import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Inbox } from "lucide-react";
import { currentUserActor } from "@/lib/auth/request-actor";
import { workspacesForSwitcher } from "@/lib/workspaces/list-workspaces";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { Logo } from "@/components/shell/logo";

export const metadata: Metadata = { title: "No workspace" };
export const dynamic = "force-dynamic";

export default async function NoWorkspacePage() {
  const actor = await currentUserActor();
  if (!actor) redirect("/login");
  const workspaces = await workspacesForSwitcher(actor);
  if (workspaces.length) redirect(`/w/${workspaces[0].slug}`);
  return (
    <main className="flex min-h-full items-center justify-center px-4 py-12">
      <div className="w-full max-w-md text-center">
        <Logo className="mx-auto size-10" />
        <div className="mt-6 rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
          <Inbox className="mx-auto size-8 text-slate-400" aria-hidden />
          <h1 className="mt-4 text-lg font-semibold text-slate-900">You are not a member of any workspace</h1>
          <p className="mt-2 text-sm text-slate-600">
            You are signed in as <strong className="font-medium">{actor.email}</strong>, but no workspace has added you yet. Ask an Admin of
            a workspace to add you or to send you an invitation link.
          </p>
          <div className="mt-6 flex justify-center">
            <SignOutButton />
          </div>
        </div>
      </div>
    </main>
  );
}
