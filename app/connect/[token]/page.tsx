import type { Metadata } from "next";
import { describeConnectLink } from "@/lib/oauth/authorize";
import { Logo } from "@/components/shell/logo";

// The consent page of a connect link: no sign-in, the link is the capability. Continue posts the token to
// /api/oauth/authorize, which sends the browser to the provider.

export const metadata: Metadata = { title: "Connect your account", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

export default async function ConnectPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await describeConnectLink(token);
  return (
    <main className="flex min-h-full items-center justify-center px-4 py-12">
      <div className="w-full max-w-md">
        <div className="mb-8 flex flex-col items-center gap-3 text-center">
          <Logo className="size-10" />
          <h1 className="text-xl font-semibold tracking-tight">
            {link ? `Connect your ${link.providerName} account` : "This connect link cannot be used"}
          </h1>
        </div>
        <div className="rounded-xl bg-white p-6 text-sm text-slate-600 shadow-sm ring-1 ring-slate-200">
          {link ? (
            <div className="space-y-4">
              <p>
                <strong className="font-medium text-slate-800">{link.workspaceName}</strong> asks to use your{" "}
                <strong className="font-medium text-slate-800">{link.providerName}</strong> account through the connector{" "}
                <strong className="font-medium text-slate-800">{link.connectorName}</strong>.
              </p>
              <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-2">
                <dt className="text-slate-500">Provider</dt>
                <dd data-testid="consent-provider">{link.providerName}</dd>
                <dt className="text-slate-500">Permissions</dt>
                <dd data-testid="consent-scopes">
                  {link.scopes.length ? (
                    <ul className="flex flex-wrap gap-1">
                      {link.scopes.map((s) => (
                        <li key={s} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
                          {s}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    "The provider's defaults"
                  )}
                </dd>
                <dt className="text-slate-500">For</dt>
                <dd data-testid="consent-end-user">{link.endUserId}</dd>
                <dt className="text-slate-500">Asked by</dt>
                <dd>{link.requestedBy}</dd>
              </dl>
              <p className="text-xs text-slate-500">
                You will sign in at {link.providerName} and approve there. Switchboard stores the tokens encrypted and you can be
                disconnected at any time. This link works once and expires at {link.expiresAt.toISOString().replace("T", " ").slice(0, 16)}{" "}
                UTC.
              </p>
              <form method="post" action="/api/oauth/authorize">
                <input type="hidden" name="token" value={token} />
                <button
                  type="submit"
                  className="w-full rounded-md bg-brand-600 px-4 py-2 font-medium text-white shadow-sm hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-brand-600"
                >
                  Continue to {link.providerName}
                </button>
              </form>
            </div>
          ) : (
            <p role="alert">
              The link is invalid, has already been used or has expired (connect links last 10 minutes). Ask for a new one.
            </p>
          )}
        </div>
      </div>
    </main>
  );
}
