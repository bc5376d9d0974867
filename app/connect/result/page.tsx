import type { Metadata } from "next";
import { Logo } from "@/components/shell/logo";

// Where the OAuth callback lands the end user: connected, or why nothing was stored.

export const metadata: Metadata = { title: "Connect your account" };
export const dynamic = "force-dynamic";

const FAILURES: Record<string, { title: string; body: string }> = {
  invalid_state: {
    title: "This sign-in cannot be completed",
    body: "The answer from the provider does not belong to a connect link we issued. Nothing was stored.",
  },
  expired: {
    title: "This sign-in took too long",
    body: "The authorization expired (it lasts 10 minutes). Nothing was stored; ask for a new connect link.",
  },
  replayed: {
    title: "This sign-in was already used",
    body: "Each connect link and each answer from the provider works once. Nothing was stored; ask for a new connect link.",
  },
  denied: { title: "Access was not granted", body: "The provider reports that access was denied or cancelled. Nothing was stored." },
  exchange_failed: {
    title: "The provider refused to complete the sign-in",
    body: "The authorization could not be exchanged for tokens. Nothing was stored; ask for a new connect link.",
  },
  misconfigured: { title: "The connector is not set up correctly", body: "Nothing was stored. Tell whoever sent you the link." },
  link_invalid: {
    title: "This connect link cannot be used",
    body: "The link is invalid, has already been used or has expired. Ask for a new one.",
  },
};

export default async function ConnectResultPage({ searchParams }: { searchParams: Promise<{ status?: string }> }) {
  const { status } = await searchParams;
  const ok = status === "connected";
  const failure = FAILURES[status ?? ""] ?? FAILURES.invalid_state;
  return (
    <main className="flex min-h-full items-center justify-center px-4 py-12">
      <div className="w-full max-w-md">
        <div className="mb-8 flex flex-col items-center gap-3 text-center">
          <Logo className="size-10" />
          <h1 className="text-xl font-semibold tracking-tight">{ok ? "Your account is connected" : failure.title}</h1>
        </div>
        <div className="rounded-xl bg-white p-6 text-sm text-slate-600 shadow-sm ring-1 ring-slate-200">
          <p role={ok ? "status" : "alert"}>{ok ? "You can close this window." : failure.body}</p>
        </div>
      </div>
    </main>
  );
}
