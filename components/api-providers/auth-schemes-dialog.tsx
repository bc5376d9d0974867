"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { KeyRound, Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import type { ProviderDto } from "@/lib/schemas/providers";
import { api, ApiError } from "@/components/api/client";
import { connectorKeys } from "@/components/connectors/keys";
import { ErrorBanner } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogFooter } from "@/components/ui/dialog";
import { Field, Input, Select, Textarea } from "@/components/ui/field";

// "Edit authentication": the provider's security schemes (many documents lack them), which the connector dialog
// prefills from. API key, HTTP bearer or basic, and OAuth 2.0 with one flow's URLs and scopes are edited here;
// other schemes (OpenID Connect, mutual TLS, other HTTP schemes) are kept as the document gave them.

type Scheme = ProviderDto["authSchemes"][number];
type Kind = "apiKey" | "bearer" | "basic" | "oauth2" | "other";
const KINDS: { id: Exclude<Kind, "other">; label: string }[] = [
  { id: "apiKey", label: "API key" },
  { id: "bearer", label: "HTTP bearer" },
  { id: "basic", label: "HTTP basic" },
  { id: "oauth2", label: "OAuth 2.0" },
];
const FLOWS = [
  { id: "authorizationCode", label: "Authorization code" },
  { id: "clientCredentials", label: "Client credentials" },
  { id: "implicit", label: "Implicit" },
  { id: "password", label: "Password" },
] as const;

interface Row {
  key: string;
  kind: Kind;
  in: "header" | "query" | "cookie";
  name: string;
  flow: string;
  authorizationUrl: string;
  tokenUrl: string;
  /** One scope a line. */
  scopes: string;
  original?: Scheme;
}

function kindOf(a: Scheme): Kind {
  if (a.type === "apiKey" || a.type === "oauth2") return a.type;
  const scheme = a.type === "http" ? a.scheme?.toLowerCase() : undefined;
  return scheme === "bearer" || scheme === "basic" ? scheme : "other";
}

function toRow(a: Scheme): Row {
  const [flow, f] = Object.entries(a.flows ?? {})[0] ?? ["authorizationCode", undefined];
  return {
    key: a.key,
    kind: kindOf(a),
    in: a.in ?? "header",
    name: a.name ?? "",
    flow,
    authorizationUrl: f?.authorizationUrl ?? "",
    tokenUrl: f?.tokenUrl ?? "",
    scopes: Object.keys(f?.scopes ?? {}).join("\n"),
    original: a,
  };
}

const blank = (key: string): Row => ({
  key,
  kind: "bearer",
  in: "header",
  name: "",
  flow: "authorizationCode",
  authorizationUrl: "",
  tokenUrl: "",
  scopes: "",
});

/** A key no other row has: `auth`, `auth2`, ... */
function freeKey(rows: Row[]): string {
  const taken = new Set(rows.map((r) => r.key));
  for (let i = 1; ; i++) if (!taken.has(i === 1 ? "auth" : `auth${i}`)) return i === 1 ? "auth" : `auth${i}`;
}

export function toSchemes(rows: Row[]): Scheme[] {
  return rows.map((r) => {
    const description = r.original?.description ? { description: r.original.description } : {};
    if (r.kind === "other" && r.original) return r.original;
    if (r.kind === "apiKey") return { key: r.key, type: "apiKey", in: r.in, name: r.name.trim(), ...description };
    if (r.kind === "bearer" || r.kind === "basic")
      return {
        key: r.key,
        type: "http",
        scheme: r.kind,
        ...(r.kind === "bearer" && r.original?.bearerFormat ? { bearerFormat: r.original.bearerFormat } : {}),
        ...description,
      };
    const before = r.original?.type === "oauth2" ? (r.original.flows ?? {}) : {};
    const kept = before[r.flow];
    const scopes = Object.fromEntries(
      r.scopes
        .split("\n")
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => [s, kept?.scopes[s] ?? ""]),
    );
    const flow = {
      ...(r.authorizationUrl.trim() ? { authorizationUrl: r.authorizationUrl.trim() } : {}),
      ...(r.tokenUrl.trim() ? { tokenUrl: r.tokenUrl.trim() } : {}),
      ...(kept?.refreshUrl ? { refreshUrl: kept.refreshUrl } : {}),
      scopes,
    };
    // The first flow is the one edited here; the document's other flows stay as they were.
    const others = Object.keys(before).slice(1);
    const rest = Object.fromEntries(others.filter((k) => k !== r.flow).map((k) => [k, before[k]]));
    return { key: r.key, type: "oauth2", flows: { [r.flow]: flow, ...rest }, ...description };
  });
}

export function AuthSchemesDialog({ p, onSaved }: { p: ProviderDto; onSaved: () => void }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [rows, setRows] = useState<Row[]>([]);
  const save = useMutation({
    mutationFn: () => api<ProviderDto>(`/providers/${p.id}`, { method: "PATCH", body: { authSchemes: toSchemes(rows) } }),
    onSuccess: () => {
      setOpen(false);
      void qc.invalidateQueries({ queryKey: connectorKeys.providers(p.workspaceId) });
      onSaved();
    },
  });
  const errors = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  const change = (i: number, patch: Partial<Row>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  // Errors under a scheme that no field shows (its key, a whole flow) are listed with the scheme.
  const shown = new Set<string>();
  const err = (path: string) => {
    shown.add(path);
    return errors[path];
  };
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) setRows(p.authSchemes.map(toRow));
        else save.reset();
      }}
      title={`Authentication of ${p.name}`}
      description="The security schemes of the API. The connector dialog fills in its authentication from them; a re-import whose document declares schemes replaces them."
      trigger={
        <Button variant="secondary" size="sm">
          <KeyRound className="size-4" aria-hidden /> Edit authentication
        </Button>
      }
    >
      <form
        noValidate
        className="max-h-[70vh] space-y-4 overflow-y-auto pr-1"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        {!Object.keys(errors).some((k) => k.startsWith("authSchemes[")) && (
          <ErrorBanner error={errors.authSchemes ? new Error(errors.authSchemes) : save.error} />
        )}
        {rows.length === 0 && <p className="text-sm text-slate-500">No authentication schemes.</p>}
        <ol className="space-y-3" aria-label="Authentication schemes">
          {rows.map((r, i) => {
            const at = (field: string) => `authSchemes[${i}].${field}`;
            const flowAt = (field: string) => at(`flows.${r.flow}.${field}`);
            const label = `Scheme ${i + 1}`;
            const fields = (
              <>
                {r.kind === "apiKey" && (
                  <div className="grid grid-cols-2 gap-3">
                    <Field label="Sent in" htmlFor={`scheme-${i}-in`} error={err(at("in"))}>
                      <Select
                        id={`scheme-${i}-in`}
                        aria-label={`${label} sent in`}
                        value={r.in}
                        onChange={(e) => change(i, { in: e.target.value as Row["in"] })}
                      >
                        <option value="header">Header</option>
                        <option value="query">Query parameter</option>
                        <option value="cookie">Cookie</option>
                      </Select>
                    </Field>
                    <Field label="Name" htmlFor={`scheme-${i}-name`} error={err(at("name"))}>
                      <Input
                        id={`scheme-${i}-name`}
                        aria-label={`${label} name`}
                        value={r.name}
                        placeholder="X-Api-Key"
                        onChange={(e) => change(i, { name: e.target.value })}
                      />
                    </Field>
                  </div>
                )}
                {r.kind === "oauth2" && (
                  <>
                    <Field label="Flow" htmlFor={`scheme-${i}-flow`} error={err(at(`flows.${r.flow}`)) ?? err(at("flows"))}>
                      <Select
                        id={`scheme-${i}-flow`}
                        aria-label={`${label} flow`}
                        value={r.flow}
                        onChange={(e) => change(i, { flow: e.target.value })}
                      >
                        {FLOWS.map((f) => (
                          <option key={f.id} value={f.id}>
                            {f.label}
                          </option>
                        ))}
                      </Select>
                    </Field>
                    {(r.flow === "authorizationCode" || r.flow === "implicit") && (
                      <Field label="Authorize URL" htmlFor={`scheme-${i}-authorize`} error={err(flowAt("authorizationUrl"))}>
                        <Input
                          id={`scheme-${i}-authorize`}
                          aria-label={`${label} authorize URL`}
                          value={r.authorizationUrl}
                          placeholder="https://example.com/oauth/authorize"
                          onChange={(e) => change(i, { authorizationUrl: e.target.value })}
                        />
                      </Field>
                    )}
                    {r.flow !== "implicit" && (
                      <Field label="Token URL" htmlFor={`scheme-${i}-token`} error={err(flowAt("tokenUrl"))}>
                        <Input
                          id={`scheme-${i}-token`}
                          aria-label={`${label} token URL`}
                          value={r.tokenUrl}
                          placeholder="https://example.com/oauth/token"
                          onChange={(e) => change(i, { tokenUrl: e.target.value })}
                        />
                      </Field>
                    )}
                    <Field label="Scopes" htmlFor={`scheme-${i}-scopes`} error={err(flowAt("scopes"))} hint="One a line">
                      <Textarea
                        id={`scheme-${i}-scopes`}
                        aria-label={`${label} scopes`}
                        rows={3}
                        value={r.scopes}
                        onChange={(e) => change(i, { scopes: e.target.value })}
                      />
                    </Field>
                  </>
                )}
                {r.kind === "other" && (
                  <p className="text-xs text-slate-500">
                    Kept as the document declares it ({r.original?.type}
                    {r.original?.scheme ? ` ${r.original.scheme}` : ""}).
                  </p>
                )}
              </>
            );
            const rest = Object.entries(errors).filter(([k]) => k.startsWith(`authSchemes[${i}]`) && !shown.has(k));
            return (
              <li key={i} className="space-y-2 rounded-md p-3 ring-1 ring-slate-200">
                <div className="flex items-end gap-2">
                  <div className="flex-1">
                    <Field label={`${label} (${r.key})`} htmlFor={`scheme-${i}-type`} error={err(at("type"))}>
                      <Select
                        id={`scheme-${i}-type`}
                        aria-label={`${label} type`}
                        value={r.kind}
                        disabled={r.kind === "other"}
                        onChange={(e) => change(i, { kind: e.target.value as Kind })}
                      >
                        {KINDS.map((k) => (
                          <option key={k.id} value={k.id}>
                            {k.label}
                          </option>
                        ))}
                        {r.kind === "other" && <option value="other">{r.original?.type}</option>}
                      </Select>
                    </Field>
                  </div>
                  <Button
                    type="button"
                    variant="ghost"
                    size="sm"
                    aria-label={`Remove scheme ${i + 1}`}
                    onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}
                  >
                    <Trash2 className="size-4" aria-hidden />
                  </Button>
                </div>
                {fields}
                {rest.map(([k, m]) => (
                  <p key={k} role="alert" className="text-xs text-red-600">
                    {k.replace(`authSchemes[${i}].`, "")}: {m}
                  </p>
                ))}
              </li>
            );
          })}
        </ol>
        <Button type="button" variant="secondary" size="sm" onClick={() => setRows((rs) => [...rs, blank(freeKey(rs))])}>
          <Plus className="size-4" aria-hidden /> Add scheme
        </Button>
        <DialogFooter>
          <DialogClose asChild>
            <Button type="button" variant="secondary">
              Cancel
            </Button>
          </DialogClose>
          <Button type="submit" pending={save.isPending} disabled={save.isPending}>
            Save authentication
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
