"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { updateMcpServerSchema, type McpServerDto } from "@/lib/schemas/mcp";
import { zodProblems } from "@/lib/schemas/zod";
import { api } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/field";

type AuthType = McpServerDto["authType"];
interface FormState {
  type: AuthType;
  clientId: string;
  clientSecret: string;
  removeSecret: boolean;
  scopes: string;
}

function initial(s: McpServerDto): FormState {
  const configured = s.oauth?.clientSource === "configured";
  return {
    type: s.authType,
    clientId: configured ? (s.oauth?.clientId ?? "") : "",
    clientSecret: "",
    removeSecret: false,
    scopes: (s.oauth?.configuredScopes ?? []).join(" "),
  };
}

/** The PATCH body: switching away from headers removes them; a secret left empty keeps the stored one. */
function toBody(s: McpServerDto, f: FormState) {
  const dropHeaders = f.type !== "headers" && s.headers.length > 0;
  if (f.type !== "oauth") return { auth: { type: f.type }, ...(dropHeaders ? { headers: [] } : {}) };
  return {
    auth: {
      type: "oauth" as const,
      clientId: f.clientId.trim() || null,
      ...(f.removeSecret || !f.clientId.trim() ? { clientSecret: null } : f.clientSecret ? { clientSecret: f.clientSecret } : {}),
      scopes: f.scopes.trim() ? f.scopes.trim().split(/\s+/) : [],
    },
    ...(dropHeaders ? { headers: [] } : {}),
  };
}

/** How Switchboard authenticates to the server: none, its headers (kept), or OAuth with an optional configured client. */
export function McpAuthDialog({ s, onSaved }: { s: McpServerDto; onSaved: (s: McpServerDto) => void }) {
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<FormState>(() => initial(s));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: (body: unknown) => api<McpServerDto>(`/mcp-servers/${s.id}`, { method: "PATCH", body }),
    onSuccess: (next) => {
      setOpen(false);
      onSaved(next);
    },
  });
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setForm((f) => ({ ...f, [k]: v }));
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const parsed = updateMcpServerSchema.safeParse(toBody(s, form));
    if (!parsed.success) {
      setErrors(Object.fromEntries(zodProblems(parsed.error).map((p) => [p.path, p.message])));
      return;
    }
    setErrors({});
    save.mutate(parsed.data);
  };
  const scopeError = Object.entries(errors).find(([k]) => k.startsWith("auth.scopes"))?.[1];
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) setForm(initial(s));
        else save.reset();
      }}
      trigger={<Button variant="secondary">Authentication</Button>}
      title={`Authentication of ${s.name}`}
      description="Changing the OAuth client, its scopes or the authentication type ends the current OAuth connection: connect again afterwards."
    >
      <form onSubmit={submit} noValidate className="space-y-4">
        <div className="-mr-2 max-h-[62vh] space-y-4 overflow-y-auto pr-2">
          <Field label="Authentication" htmlFor="mcp-auth-type">
            <Select id="mcp-auth-type" value={form.type} onChange={(e) => set("type", e.target.value as AuthType)}>
              <option value="none">None</option>
              {s.authType === "headers" && <option value="headers">Headers (kept as they are)</option>}
              <option value="oauth">OAuth</option>
            </Select>
          </Field>
          {form.type !== "headers" && s.headers.length > 0 && (
            <p role="status" className="text-xs text-amber-700">
              The stored headers ({s.headers.map((h) => h.name).join(", ")}) are removed.
            </p>
          )}
          {form.type === "oauth" && (
            <>
              <Field
                label="Client ID"
                htmlFor="mcp-auth-client-id"
                error={errors["auth.clientId"]}
                hint="Empty: Switchboard registers itself dynamically"
              >
                <Input
                  id="mcp-auth-client-id"
                  value={form.clientId}
                  invalid={!!errors["auth.clientId"]}
                  onChange={(e) => set("clientId", e.target.value)}
                />
              </Field>
              <Field
                label="Client secret"
                htmlFor="mcp-auth-client-secret"
                error={errors["auth.clientSecret"]}
                hint={s.oauth?.hasClientSecret ? "A secret is stored: leave empty to keep it" : "Stored encrypted"}
              >
                <Input
                  id="mcp-auth-client-secret"
                  type="password"
                  autoComplete="off"
                  value={form.clientSecret}
                  disabled={form.removeSecret}
                  invalid={!!errors["auth.clientSecret"]}
                  onChange={(e) => set("clientSecret", e.target.value)}
                />
              </Field>
              {s.oauth?.hasClientSecret && (
                <label className="flex items-center gap-2 text-sm text-slate-700">
                  <input type="checkbox" checked={form.removeSecret} onChange={(e) => set("removeSecret", e.target.checked)} />
                  Remove the stored secret
                </label>
              )}
              <Field
                label="Scopes"
                htmlFor="mcp-auth-scopes"
                error={scopeError}
                hint="Separated by spaces; empty: the scopes the server asks for"
              >
                <Input id="mcp-auth-scopes" value={form.scopes} invalid={!!scopeError} onChange={(e) => set("scopes", e.target.value)} />
              </Field>
            </>
          )}
        </div>
        <ErrorBanner error={save.error} />
        <DialogFooter>
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save"}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
