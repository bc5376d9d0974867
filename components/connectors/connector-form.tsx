"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useReducer, useState } from "react";
import type { ConnectorDto } from "@/lib/schemas/connectors";
import type { ProviderDto, VersionDto } from "@/lib/schemas/providers";
import type { CatalogProviderDto } from "@/lib/schemas/catalog-providers";
import { serverUrls } from "@/lib/connectors/servers";
import { api, ApiError, type Page } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogFooter } from "@/components/ui/dialog";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { providerKeys } from "@/components/api-providers/keys";
import { connectorKeys } from "./keys";
import { AppTokenKind, EMPTY_OAUTH, OAuthFields, oauthBody, oauthFromAuth, oauthFromProvider, type OAuthFormState } from "./oauth-fields";

// The "New connector" and "Edit connector" dialog: one form state in a reducer, one function that builds the
// request body from it, and the server's field errors shown next to the same fields.

const MODES = [
  { id: "api-key", label: "API key" },
  { id: "bearer", label: "Bearer token" },
  { id: "basic", label: "Basic (username and password)" },
  { id: "app-token", label: "App token" },
  { id: "oauth-user", label: "OAuth (each end user connects)" },
  { id: "hybrid", label: "Hybrid (end user's connection, else app token)" },
] as const;
type Mode = (typeof MODES)[number]["id"];

interface FormState {
  providerId: string;
  /** A central repository entry not yet in the workspace: creating the connector adds it as a provider. */
  catalogId: string;
  name: string;
  description: string;
  /** An index into the provider's servers, or "custom". */
  server: string;
  customUrl: string;
  params: Record<string, string>;
  pinnedVersionId: string;
  mode: Mode;
  keyIn: "header" | "query" | "cookie";
  keyName: string;
  secret: string;
  username: string;
  public: boolean;
  internal: boolean;
  oauth: OAuthFormState;
}

type Action =
  | { type: "set"; patch: Partial<FormState> }
  | { type: "oauth"; patch: Partial<OAuthFormState> }
  | { type: "param"; name: string; value: string }
  | { type: "reset"; state: FormState };

function reducer(s: FormState, a: Action): FormState {
  if (a.type === "reset") return a.state;
  if (a.type === "param") return { ...s, params: { ...s.params, [a.name]: a.value } };
  if (a.type === "oauth") return { ...s, oauth: { ...s.oauth, ...a.patch } };
  return { ...s, ...a.patch };
}

const EMPTY: FormState = {
  providerId: "",
  catalogId: "",
  name: "",
  description: "",
  server: "0",
  customUrl: "",
  params: {},
  pinnedVersionId: "latest",
  mode: "api-key",
  keyIn: "header",
  keyName: "",
  secret: "",
  username: "",
  public: false,
  internal: false,
  oauth: EMPTY_OAUTH,
};

/** The api-key placement the provider's security scheme gives, if any. */
function keyScheme(p: ProviderDto | undefined) {
  return p?.authSchemes.find((a) => a.type === "apiKey" && a.in && a.name);
}

/** A mode the provider's schemes suggest: an API key scheme, HTTP basic or bearer. */
function suggestedMode(p: ProviderDto | undefined): Mode {
  if (!p || keyScheme(p)) return "api-key";
  if (p.authSchemes.some((a) => a.type === "oauth2" && a.flows?.authorizationCode)) return "oauth-user";
  const http = p.authSchemes.find((a) => a.type === "http");
  if (http?.scheme?.toLowerCase() === "basic") return "basic";
  if (http) return "bearer";
  return "api-key";
}

const CATALOG_MODES: Partial<Record<CatalogProviderDto["auth"]["type"], Mode>> = { apiKey: "api-key", bearer: "bearer", basic: "basic" };
const CATALOG_PREFIX = "catalog:";

function fromConnector(c: ConnectorDto, provider: ProviderDto | undefined): FormState {
  const urls = provider ? serverUrls(provider.servers, c.params) : [];
  const index = urls.findIndex((u) => u.url === c.baseUrl);
  const a = c.auth as Record<string, unknown>;
  return {
    ...EMPTY,
    providerId: c.provider.id,
    name: c.name,
    description: c.description,
    server: index >= 0 ? String(index) : "custom",
    customUrl: index >= 0 ? "" : c.baseUrl,
    params: { ...c.params },
    pinnedVersionId: c.pinnedVersionId ?? "latest",
    mode: (MODES.some((m) => m.id === c.auth.mode) ? c.auth.mode : "api-key") as Mode,
    keyIn: (a.in as FormState["keyIn"]) ?? "header",
    keyName: typeof a.name === "string" ? a.name : "",
    username: typeof a.username === "string" ? a.username : "",
    public: c.public,
    internal: c.internal,
    oauth: oauthFromAuth(a),
  };
}

const OAUTH_MODES: readonly Mode[] = ["oauth-user", "hybrid"];
const usesClient = (s: FormState) => OAUTH_MODES.includes(s.mode) || (s.mode === "app-token" && s.oauth.appKind === "client");

/** The request body: the chosen server's URL with its variables filled, and the mode's fields (a blank secret on an edit keeps the stored one). */
function toBody(s: FormState, provider: ProviderDto | undefined, editing: boolean) {
  const custom = s.server === "custom";
  const urls = provider ? serverUrls(provider.servers, s.params) : [];
  const baseUrl = custom ? s.customUrl.trim() : urls[Number(s.server)]?.url;
  const params = Object.fromEntries(Object.entries(s.params).filter(([, v]) => v.trim() !== ""));
  const secret = s.secret ? { [s.mode === "basic" ? "password" : "value"]: s.secret } : {};
  // From a catalog entry the key's placement may be left to the provider's scheme (the server fills it in).
  const placement = s.catalogId && !s.keyName.trim() ? {} : { in: s.keyIn, name: s.keyName.trim() };
  const auth = usesClient(s)
    ? { mode: s.mode, ...oauthBody(s.mode, s.oauth), ...(s.mode === "hybrid" ? secret : {}) }
    : s.mode === "api-key"
      ? { mode: s.mode, ...placement, ...secret }
      : s.mode === "basic"
        ? { mode: s.mode, username: s.username.trim(), ...secret }
        : { mode: s.mode, ...secret };
  return {
    ...(editing ? {} : s.catalogId ? { catalogId: s.catalogId } : { providerId: s.providerId }),
    name: s.name.trim(),
    description: s.description.trim(),
    ...(baseUrl ? { baseUrl } : {}),
    customBaseUrl: custom,
    params,
    pinnedVersionId: s.pinnedVersionId,
    public: s.public,
    internal: s.internal,
    auth,
  };
}

export function ConnectorDialog({
  workspaceId,
  connector,
  initialProviderId,
  canMarkInternal,
  redirectUri,
  trigger,
  onSaved,
}: {
  workspaceId: string;
  /** `{SWITCHBOARD_PUBLIC_URL}/api/oauth/callback`, shown for the OAuth modes. */
  redirectUri: string;
  /** Given: edit this connector. */
  connector?: ConnectorDto;
  /** A new connector of this provider (the central repository's "Create connector"). */
  initialProviderId?: string;
  canMarkInternal: boolean;
  trigger: React.ReactNode;
  onSaved: (c: ConnectorDto) => void;
}) {
  const editing = !!connector;
  const [open, setOpen] = useState(false);
  const [s, dispatch] = useReducer(reducer, EMPTY);
  const [pendingInitial, setPendingInitial] = useState(false);
  const qc = useQueryClient();
  const set = (patch: Partial<FormState>) => dispatch({ type: "set", patch });
  const setOAuth = (patch: Partial<OAuthFormState>) => dispatch({ type: "oauth", patch });
  const providers = useQuery({
    queryKey: connectorKeys.providers(workspaceId),
    queryFn: () => api<Page<ProviderDto>>("/providers", { query: { workspaceId, limit: 200 } }),
  });
  const provider = providers.data?.data.find((p) => p.id === s.providerId);
  // Central repository entries this workspace has no provider of yet: choosing one adds it with the connector.
  const catalog = useQuery({
    queryKey: connectorKeys.catalog(),
    queryFn: () => api<Page<CatalogProviderDto>>("/catalog/providers", { query: { limit: 200 } }),
    enabled: open && !editing,
  });
  const inWorkspace = new Set(providers.data?.data.map((p) => p.catalog?.id).filter(Boolean));
  const fromCatalog = catalog.data?.data.filter((e) => !inWorkspace.has(e.id)) ?? [];
  const entry = catalog.data?.data.find((e) => e.id === s.catalogId);
  const versions = useQuery({
    queryKey: connectorKeys.versions(s.providerId),
    queryFn: () => api<Page<VersionDto>>(`/providers/${s.providerId}/versions`, { query: { limit: 100 } }),
    enabled: open && !!s.providerId,
  });
  const save = useMutation({
    mutationFn: () => {
      const body = toBody(s, provider, editing);
      return editing
        ? api<ConnectorDto>(`/connectors/${connector.id}`, { method: "PATCH", body })
        : api<ConnectorDto>("/connectors", { method: "POST", query: { workspaceId }, body });
    },
    onSuccess: (c) => {
      if (c.providerAdded) {
        void qc.invalidateQueries({ queryKey: connectorKeys.providers(workspaceId) });
        void qc.invalidateQueries({ queryKey: providerKeys.all(workspaceId) });
      }
      setOpen(false);
      onSaved(c);
    },
  });
  const errors = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  const err = (path: string) => errors[path];

  const pickProvider = (id: string) => {
    if (id.startsWith(CATALOG_PREFIX)) {
      const e = catalog.data?.data.find((x) => x.id === id.slice(CATALOG_PREFIX.length));
      set({ providerId: "", catalogId: e?.id ?? "", server: "0", params: {}, pinnedVersionId: "latest", keyIn: "header", keyName: "" });
      set({ mode: (e && CATALOG_MODES[e.auth.type]) ?? "api-key" });
      return;
    }
    const p = providers.data?.data.find((x) => x.id === id);
    const scheme = keyScheme(p);
    set({
      providerId: id,
      catalogId: "",
      server: p && p.servers.length ? "0" : "custom",
      params: {},
      pinnedVersionId: "latest",
      mode: suggestedMode(p),
      keyIn: scheme?.in ?? "header",
      keyName: scheme?.name ?? "",
      oauth: { ...EMPTY_OAUTH, ...oauthFromProvider(p) },
    });
  };
  // The central repository's "Create connector": the provider is chosen (with its prefills) once the list is loaded.
  if (pendingInitial && providers.data && initialProviderId) {
    setPendingInitial(false);
    pickProvider(initialProviderId);
  }
  const server = s.server === "custom" ? undefined : provider?.servers[Number(s.server)];
  const variables = Object.entries(server?.variables ?? {});
  const preview = provider && s.server !== "custom" ? serverUrls(provider.servers, s.params)[Number(s.server)]?.url : undefined;
  const secretLabel = s.mode === "basic" ? "Password" : s.mode === "api-key" ? "API key" : "Token";
  const secretPath = s.mode === "basic" ? "auth.password" : "auth.value";
  const client = usesClient(s);
  const credentialsGiven = client
    ? s.oauth.clientId.trim().length > 0 && (s.mode !== "app-token" || editing || s.oauth.clientSecret.length > 0)
    : editing || s.secret.length > 0;
  const ready = !!(s.providerId || s.catalogId) && s.name.trim().length >= 2 && credentialsGiven;
  const storedAuth = (connector?.auth ?? {}) as Record<string, unknown>;

  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) {
          const current = connector && providers.data?.data.find((p) => p.id === connector.provider.id);
          if (connector) dispatch({ type: "reset", state: fromConnector(connector, current) });
          else {
            dispatch({ type: "reset", state: EMPTY });
            setPendingInitial(!!initialProviderId);
          }
        } else save.reset();
      }}
      trigger={trigger}
      title={editing ? `Edit ${connector.name}` : "New connector"}
      description={
        editing
          ? "A secret left blank keeps the stored one."
          : "A provider of this workspace with its credentials for one account or environment. Secrets are kept encrypted and shown only as masks."
      }
    >
      <form
        noValidate
        className="max-h-[70vh] space-y-4 overflow-y-auto pr-1"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) save.mutate();
        }}
      >
        {!(save.error instanceof ApiError && save.error.errors.length) && <ErrorBanner error={save.error} />}
        {save.error instanceof ApiError && save.error.errors.length > 0 && (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
            {save.error.detail}
          </p>
        )}
        <Field label="Provider" htmlFor="connector-provider" error={err("providerId") ?? err("catalogId")}>
          {editing ? (
            <Input id="connector-provider" value={connector.provider.name} disabled />
          ) : (
            <Select
              id="connector-provider"
              value={s.catalogId ? CATALOG_PREFIX + s.catalogId : s.providerId}
              onChange={(e) => pickProvider(e.target.value)}
              required
            >
              <option value="">{providers.isPending ? "Loading providers…" : "Choose a provider"}</option>
              {providers.data && providers.data.data.length > 0 && (
                <optgroup label="This workspace">
                  {providers.data.data.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </optgroup>
              )}
              {fromCatalog.length > 0 && (
                <optgroup label="From the central repository">
                  {fromCatalog.map((e) => (
                    <option key={e.id} value={CATALOG_PREFIX + e.id}>
                      {e.title}
                    </option>
                  ))}
                </optgroup>
              )}
            </Select>
          )}
        </Field>
        {entry && (
          <p className="text-sm text-slate-600" data-testid="connector-catalog-note">
            Creating this connector also adds {entry.title} to this workspace&apos;s API providers from the central repository.
          </p>
        )}
        {!editing && providers.data && providers.data.data.length === 0 && fromCatalog.length === 0 && !catalog.isPending && (
          <p className="text-sm text-slate-500">This workspace has no API providers yet: import one under API Providers first.</p>
        )}
        <Field label="Name" htmlFor="connector-name" error={err("name")} hint="e.g. billing-prod">
          <Input id="connector-name" value={s.name} onChange={(e) => set({ name: e.target.value })} maxLength={60} required />
        </Field>
        <Field label="Description" htmlFor="connector-description" error={err("description")}>
          <Textarea id="connector-description" rows={2} value={s.description} onChange={(e) => set({ description: e.target.value })} />
        </Field>
        {(s.providerId || s.catalogId || editing) && (
          <>
            <Field label="Base URL" htmlFor="connector-server" error={err("baseUrl")} hint={preview}>
              <Select
                id="connector-server"
                value={s.server}
                onChange={(e) => {
                  // Opening an edit before the providers loaded: the stored URL stays as a custom one.
                  set({ server: e.target.value, customUrl: e.target.value === "custom" && !s.customUrl ? (preview ?? "") : s.customUrl });
                }}
              >
                {provider?.servers.map((sv, i) => (
                  <option key={i} value={String(i)}>
                    {sv.template ?? sv.url}
                    {sv.description ? ` (${sv.description})` : ""}
                  </option>
                ))}
                {entry && <option value="0">The document&apos;s first server</option>}
                <option value="custom">Custom URL…</option>
              </Select>
            </Field>
            {s.server === "custom" && (
              <Field label="Custom base URL" htmlFor="connector-url" error={err("baseUrl")}>
                <Input
                  id="connector-url"
                  type="url"
                  value={s.customUrl}
                  onChange={(e) => set({ customUrl: e.target.value })}
                  placeholder="https://api.example.com/v1"
                />
              </Field>
            )}
            {variables.map(([name, v]) => (
              <Field
                key={name}
                label={`Parameter: ${name}`}
                htmlFor={`connector-param-${name}`}
                error={err(`params.${name}`)}
                hint={[v.description, v.default ? `default ${v.default}` : "required"].filter(Boolean).join(" · ")}
              >
                {v.enum?.length ? (
                  <Select
                    id={`connector-param-${name}`}
                    value={s.params[name] ?? v.default}
                    onChange={(e) => dispatch({ type: "param", name, value: e.target.value })}
                  >
                    {v.enum.map((o) => (
                      <option key={o} value={o}>
                        {o}
                      </option>
                    ))}
                  </Select>
                ) : (
                  <Input
                    id={`connector-param-${name}`}
                    value={s.params[name] ?? ""}
                    placeholder={v.default}
                    onChange={(e) => dispatch({ type: "param", name, value: e.target.value })}
                  />
                )}
              </Field>
            ))}
            <Field label="Provider version" htmlFor="connector-version" error={err("pinnedVersionId")}>
              <Select id="connector-version" value={s.pinnedVersionId} onChange={(e) => set({ pinnedVersionId: e.target.value })}>
                <option value="latest">Latest (follows new imports)</option>
                {versions.data?.data.map((v) => (
                  <option key={v.id} value={v.id}>
                    Version {v.number}
                    {v.versionLabel ? ` (${v.versionLabel})` : ""}
                  </option>
                ))}
              </Select>
            </Field>
          </>
        )}
        <Field label="Authentication" htmlFor="connector-mode" error={err("auth.mode") ?? err("auth")}>
          <Select
            id="connector-mode"
            value={s.mode}
            onChange={(e) => {
              const mode = e.target.value as Mode;
              set({ mode, secret: "" });
              // Switching to an OAuth mode fills the URLs the provider's scheme gives, where none were entered.
              if (mode === "oauth-user" || mode === "hybrid") {
                const d = oauthFromProvider(provider);
                setOAuth({
                  authorizeUrl: s.oauth.authorizeUrl || d.authorizeUrl || "",
                  tokenUrl: s.oauth.tokenUrl || d.tokenUrl || "",
                  scopes: s.oauth.scopes || d.scopes || "",
                });
              }
            }}
          >
            {MODES.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </Select>
        </Field>
        {s.mode === "api-key" && (
          <div className="grid grid-cols-2 gap-3">
            <Field label="Sent in" htmlFor="connector-key-in" error={err("auth.in")}>
              <Select id="connector-key-in" value={s.keyIn} onChange={(e) => set({ keyIn: e.target.value as FormState["keyIn"] })}>
                <option value="header">Header</option>
                <option value="query">Query parameter</option>
                <option value="cookie">Cookie</option>
              </Select>
            </Field>
            <Field label="Key name" htmlFor="connector-key-name" error={err("auth.name")}>
              <Input
                id="connector-key-name"
                value={s.keyName}
                onChange={(e) => set({ keyName: e.target.value })}
                placeholder={s.catalogId ? "As the provider's scheme says" : "X-Api-Key"}
              />
            </Field>
          </div>
        )}
        {s.mode === "basic" && (
          <Field label="Username" htmlFor="connector-username" error={err("auth.username")}>
            <Input id="connector-username" value={s.username} onChange={(e) => set({ username: e.target.value })} autoComplete="off" />
          </Field>
        )}
        {s.mode === "app-token" && <AppTokenKind value={s.oauth.appKind} onChange={(appKind) => setOAuth({ appKind })} />}
        {client && (
          <OAuthFields
            mode={s.mode as "oauth-user" | "hybrid" | "app-token"}
            o={s.oauth}
            set={setOAuth}
            err={err}
            redirectUri={redirectUri}
            storedSecret={editing && typeof storedAuth.clientSecret === "string" ? storedAuth.clientSecret : undefined}
          />
        )}
        {(!client || s.mode === "hybrid") && (
          <Field
            label={s.mode === "hybrid" ? "App token (optional fallback)" : secretLabel}
            htmlFor="connector-secret"
            error={err(secretPath)}
            hint={
              editing
                ? `Stored: ${String((connector.auth as Record<string, unknown>)[secretPath.slice(5)] ?? "—")}. Leave blank to keep it.`
                : undefined
            }
          >
            <Input
              id="connector-secret"
              type="password"
              autoComplete="new-password"
              value={s.secret}
              onChange={(e) => set({ secret: e.target.value })}
            />
          </Field>
        )}
        <label className="flex items-start gap-2 text-sm text-slate-700">
          <input type="checkbox" className="mt-0.5" checked={s.public} onChange={(e) => set({ public: e.target.checked })} />
          <span>
            Public
            <span className="block text-xs text-slate-500">
              Every Builder of the workspace may see and use it; otherwise only you and Admins.
            </span>
          </span>
        </label>
        {canMarkInternal && (
          <label className="flex items-start gap-2 text-sm text-slate-700">
            <input type="checkbox" className="mt-0.5" checked={s.internal} onChange={(e) => set({ internal: e.target.checked })} />
            <span>
              Internal
              <span className="block text-xs text-slate-500">Allow private and loopback addresses for the base URL (Admins only).</span>
            </span>
          </label>
        )}
        <DialogFooter>
          <DialogClose asChild>
            <Button type="button" variant="secondary">
              Cancel
            </Button>
          </DialogClose>
          <Button type="submit" pending={save.isPending} disabled={!ready || save.isPending}>
            {editing ? "Save" : "Create connector"}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
