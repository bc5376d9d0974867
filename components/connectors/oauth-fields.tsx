"use client";

import type { ProviderDto } from "@/lib/schemas/providers";
import { CopyButton } from "@/components/ui/copy-button";
import { Field, Input, Select, Textarea } from "@/components/ui/field";

// The OAuth part of the connector dialog (oauth-user, hybrid, app-token with a client): the client, the
// authorization server's URLs (prefilled from the provider's oauth2 scheme), scopes, extra authorize parameters,
// the revocation URL, and the redirect URI to register at the provider.

export interface OAuthFormState {
  appKind: "static" | "client";
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  revocationUrl: string;
  /** Space- or comma-separated. */
  scopes: string;
  /** One `name=value` per line. */
  authorizeParams: string;
}

export const EMPTY_OAUTH: OAuthFormState = {
  appKind: "static",
  clientId: "",
  clientSecret: "",
  authorizeUrl: "",
  tokenUrl: "",
  revocationUrl: "",
  scopes: "",
  authorizeParams: "",
};

/** The provider's oauth2 scheme: its authorize and token URLs and its scopes. */
export function oauthFromProvider(p: ProviderDto | undefined): Partial<OAuthFormState> {
  const scheme = p?.authSchemes.find((a) => a.type === "oauth2" && a.flows);
  if (!scheme?.flows) return {};
  const code = scheme.flows.authorizationCode;
  const cc = scheme.flows.clientCredentials;
  return {
    authorizeUrl: code?.authorizationUrl ?? "",
    tokenUrl: code?.tokenUrl ?? cc?.tokenUrl ?? "",
    scopes: Object.keys(code?.scopes ?? cc?.scopes ?? {}).join(" "),
  };
}

export function oauthFromAuth(a: Record<string, unknown>): OAuthFormState {
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  const params = (a.authorizeParams ?? {}) as Record<string, string>;
  return {
    appKind: a.clientId ? "client" : "static",
    clientId: str(a.clientId),
    clientSecret: "",
    authorizeUrl: str(a.authorizeUrl),
    tokenUrl: str(a.tokenUrl),
    revocationUrl: str(a.revocationUrl),
    scopes: Array.isArray(a.scopes) ? a.scopes.join(" ") : "",
    authorizeParams: Object.entries(params)
      .map(([k, v]) => `${k}=${v}`)
      .join("\n"),
  };
}

const scopesOf = (s: string) => s.split(/[\s,]+/).filter(Boolean);
function paramsOf(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of s.split("\n")) {
    const i = line.indexOf("=");
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

/** The auth fields of the request body for an OAuth mode; blank URLs are left out (the provider's scheme fills them). */
export function oauthBody(mode: string, o: OAuthFormState): Record<string, unknown> {
  const url = (k: "authorizeUrl" | "tokenUrl" | "revocationUrl") => (o[k].trim() ? { [k]: o[k].trim() } : {});
  const secret = o.clientSecret ? { clientSecret: o.clientSecret } : {};
  if (mode === "app-token") return { clientId: o.clientId.trim(), ...secret, ...url("tokenUrl"), scopes: scopesOf(o.scopes) };
  return {
    clientId: o.clientId.trim(),
    ...secret,
    ...url("authorizeUrl"),
    ...url("tokenUrl"),
    ...url("revocationUrl"),
    scopes: scopesOf(o.scopes),
    authorizeParams: paramsOf(o.authorizeParams),
  };
}

export function OAuthFields({
  mode,
  o,
  set,
  err,
  redirectUri,
  storedSecret,
}: {
  mode: "oauth-user" | "hybrid" | "app-token";
  o: OAuthFormState;
  set: (patch: Partial<OAuthFormState>) => void;
  err: (path: string) => string | undefined;
  redirectUri: string;
  /** The stored client secret's mask, on an edit. */
  storedSecret?: string;
}) {
  const userFlow = mode !== "app-token";
  return (
    <div className="space-y-4 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
      <div className="grid grid-cols-2 gap-3">
        <Field label="Client ID" htmlFor="connector-client-id" error={err("auth.clientId")}>
          <Input id="connector-client-id" value={o.clientId} onChange={(e) => set({ clientId: e.target.value })} autoComplete="off" />
        </Field>
        <Field
          label="Client secret"
          htmlFor="connector-client-secret"
          error={err("auth.clientSecret")}
          hint={
            storedSecret ? `Stored: ${storedSecret}. Leave blank to keep it.` : userFlow ? "Optional for a public client (PKCE)" : undefined
          }
        >
          <Input
            id="connector-client-secret"
            type="password"
            autoComplete="new-password"
            value={o.clientSecret}
            onChange={(e) => set({ clientSecret: e.target.value })}
          />
        </Field>
      </div>
      {userFlow && (
        <Field label="Authorization URL" htmlFor="connector-authorize-url" error={err("auth.authorizeUrl")}>
          <Input
            id="connector-authorize-url"
            type="url"
            value={o.authorizeUrl}
            onChange={(e) => set({ authorizeUrl: e.target.value })}
            placeholder="https://auth.example.com/authorize"
          />
        </Field>
      )}
      <Field label="Token URL" htmlFor="connector-token-url" error={err("auth.tokenUrl")}>
        <Input
          id="connector-token-url"
          type="url"
          value={o.tokenUrl}
          onChange={(e) => set({ tokenUrl: e.target.value })}
          placeholder="https://auth.example.com/token"
        />
      </Field>
      <Field label="Scopes" htmlFor="connector-scopes" error={err("auth.scopes")} hint="Separated by spaces">
        <Input
          id="connector-scopes"
          value={o.scopes}
          onChange={(e) => set({ scopes: e.target.value })}
          placeholder="openid offline_access"
        />
      </Field>
      {userFlow && (
        <>
          <Field
            label="Extra authorize parameters"
            htmlFor="connector-authorize-params"
            error={err("auth.authorizeParams")}
            hint="One name=value per line, e.g. prompt=consent or access_type=offline"
          >
            <Textarea
              id="connector-authorize-params"
              rows={2}
              value={o.authorizeParams}
              onChange={(e) => set({ authorizeParams: e.target.value })}
            />
          </Field>
          <Field
            label="Revocation URL"
            htmlFor="connector-revocation-url"
            error={err("auth.revocationUrl")}
            hint="Optional: Disconnect revokes the end user's tokens there"
          >
            <Input
              id="connector-revocation-url"
              type="url"
              value={o.revocationUrl}
              onChange={(e) => set({ revocationUrl: e.target.value })}
            />
          </Field>
          <div>
            <p className="text-sm font-medium text-slate-700">Redirect URI</p>
            <p className="mb-1 text-xs text-slate-500">Register exactly this URI with the provider's OAuth client.</p>
            <div className="flex items-center gap-2">
              <code
                data-testid="redirect-uri"
                className="min-w-0 flex-1 truncate rounded bg-white px-2 py-1 text-xs ring-1 ring-slate-200 select-all"
              >
                {redirectUri}
              </code>
              <CopyButton value={redirectUri} />
            </div>
          </div>
        </>
      )}
    </div>
  );
}

export function AppTokenKind({ value, onChange }: { value: OAuthFormState["appKind"]; onChange: (v: OAuthFormState["appKind"]) => void }) {
  return (
    <Field label="App token from" htmlFor="connector-app-kind">
      <Select id="connector-app-kind" value={value} onChange={(e) => onChange(e.target.value as OAuthFormState["appKind"])}>
        <option value="static">A static token</option>
        <option value="client">OAuth client credentials</option>
      </Select>
    </Field>
  );
}
