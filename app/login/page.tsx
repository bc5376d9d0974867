import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentUserActor } from "@/lib/auth/request-actor";
import { SignInForm } from "@/components/auth/sign-in-form";
import { Logo } from "@/components/shell/logo";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string; invited?: string }>;
}) {
  const sp = await searchParams;
  if (await currentUserActor()) redirect(safeCallback(sp.callbackUrl));
  return (
    <main className="flex min-h-full items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center gap-3 text-center">
          <Logo className="size-10" />
          <h1 className="text-xl font-semibold tracking-tight">Sign in to Switchboard</h1>
          <p className="text-sm text-slate-500">LLM providers, APIs, MCP servers and webhooks for your agents.</p>
        </div>
        {sp.invited === "1" && (
          <p role="status" className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200">
            Invitation accepted. Sign in with your email and password.
          </p>
        )}
        <div className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <SignInForm
            callbackUrl={safeCallback(sp.callbackUrl)}
            initialError={sp.error && sp.error !== "SessionRequired" ? sp.error : undefined}
          />
        </div>
      </div>
    </main>
  );
}

/** Only same-site paths: `//evil.com` and absolute URLs fall back to the console home. */
function safeCallback(raw?: string): string {
  if (!raw) return "/";
  try {
    const u = new URL(raw, "http://local.invalid");
    if (u.origin !== "http://local.invalid" && !raw.startsWith("http://localhost") && !raw.startsWith("http://127.0.0.1")) return "/";
    const p = u.pathname + u.search;
    return p.startsWith("/") && !p.startsWith("//") && !p.startsWith("/login") ? p : "/";
  } catch {
    return "/";
  }
}
