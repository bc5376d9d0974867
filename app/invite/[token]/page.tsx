import type { Metadata } from "next";
import Link from "next/link";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { describeInvitation } from "@/lib/members/invitations";
import { AcceptInvitationForm } from "@/components/auth/accept-invitation-form";
import { Logo } from "@/components/shell/logo";
import { acceptInvitationAction } from "./actions";

export const metadata: Metadata = { title: "Invitation" };
export const dynamic = "force-dynamic";

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = token.length >= 20 && token.length <= 200 ? await describeInvitation(token) : null;
  return (
    <main className="flex min-h-full items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center gap-3 text-center">
          <Logo className="size-10" />
          {invitation ? (
            <>
              <h1 className="text-xl font-semibold tracking-tight">Join {invitation.workspaceName}</h1>
              <p className="text-sm text-slate-500">
                You were invited as <strong className="font-medium text-slate-700">{ROLE_LABELS[invitation.role]}</strong> with the email{" "}
                <strong className="font-medium text-slate-700">{invitation.email}</strong>.
              </p>
            </>
          ) : (
            <h1 className="text-xl font-semibold tracking-tight">This invitation cannot be used</h1>
          )}
        </div>
        <div className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
          {invitation ? (
            <AcceptInvitationForm accountExists={invitation.accountExists} action={acceptInvitationAction.bind(null, token)} />
          ) : (
            <div className="space-y-4 text-sm text-slate-600">
              <p role="alert">The link is invalid, has already been used, was revoked or has expired (invitations last 7 days).</p>
              <p>Ask an Admin of the workspace to send you a new one.</p>
              <Link href="/login" className="inline-block font-medium text-brand-600 hover:underline">
                Go to sign in
              </Link>
            </div>
          )}
        </div>
      </div>
    </main>
  );
}
