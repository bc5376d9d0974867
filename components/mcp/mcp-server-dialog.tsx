"use client";

import { useMutation } from "@tanstack/react-query";
import { Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { createMcpServerSchema, type McpServerDto } from "@/lib/schemas/mcp";
import { zodProblems } from "@/lib/schemas/zod";
import { api } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/field";

interface FormState {
  name: string;
  url: string;
  transport: "streamable-http" | "sse";
  internal: boolean;
  headers: { name: string; value: string }[];
  authType: "none" | "headers" | "oauth";
  clientId: string;
  clientSecret: string;
  scopes: string;
}
const EMPTY: FormState = {
  name: "",
  url: "",
  transport: "streamable-http",
  internal: false,
  headers: [],
  authType: "none",
  clientId: "",
  clientSecret: "",
  scopes: "",
};

/** The request body: headers only with header authentication; for OAuth the optional client and scopes. */
function toBody(f: FormState) {
  const oauth =
    f.authType === "oauth"
      ? {
          ...(f.clientId.trim() ? { clientId: f.clientId.trim() } : {}),
          ...(f.clientSecret ? { clientSecret: f.clientSecret } : {}),
          ...(f.scopes.trim() ? { scopes: f.scopes.trim().split(/\s+/) } : {}),
        }
      : {};
  return {
    name: f.name,
    url: f.url,
    transport: f.transport,
    internal: f.internal,
    headers: f.authType === "oauth" ? [] : f.headers,
    // Removing the last header leaves no authentication.
    auth: { type: f.authType === "headers" && !f.headers.length ? "none" : f.authType, ...oauth },
  };
}

/** Register an MCP server: URL, transport, authentication (headers stored encrypted, or OAuth), internal (Admins only). */
export function McpServerDialog({
  workspaceId,
  canMarkInternal,
  trigger,
  onSaved,
}: {
  workspaceId: string;
  canMarkInternal: boolean;
  trigger: React.ReactNode;
  onSaved: (s: McpServerDto) => void;
}) {
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<FormState>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: (body: unknown) => api<McpServerDto>("/mcp-servers", { method: "POST", query: { workspaceId }, body }),
    onSuccess: (s) => {
      setOpen(false);
      setForm(EMPTY);
      onSaved(s);
    },
  });
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setForm((f) => ({ ...f, [k]: v }));
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const parsed = createMcpServerSchema.safeParse(toBody(form));
    if (!parsed.success) {
      setErrors(Object.fromEntries(zodProblems(parsed.error).map((p) => [p.path, p.message])));
      return;
    }
    setErrors({});
    save.mutate(parsed.data);
  };
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) save.reset();
      }}
      trigger={trigger}
      title="Register an MCP server"
      description="Switchboard connects over Streamable HTTP (or the older HTTP+SSE transport) and lists the server's tools."
    >
      <form onSubmit={submit} noValidate className="space-y-4">
        {/* The fields scroll inside the dialog (the OAuth ones make it taller than a small window); the button stays. */}
        <div className="-mr-2 max-h-[62vh] space-y-4 overflow-y-auto pr-2">
          <Field label="Name" htmlFor="mcp-name" error={errors.name}>
            <Input id="mcp-name" value={form.name} invalid={!!errors.name} onChange={(e) => set("name", e.target.value)} />
          </Field>
          <Field label="URL" htmlFor="mcp-url" error={errors.url} hint="The server's MCP endpoint, e.g. https://mcp.example.com/mcp">
            <Input id="mcp-url" value={form.url} invalid={!!errors.url} onChange={(e) => set("url", e.target.value)} />
          </Field>
          <Field label="Transport" htmlFor="mcp-transport">
            <Select id="mcp-transport" value={form.transport} onChange={(e) => set("transport", e.target.value as FormState["transport"])}>
              <option value="streamable-http">Streamable HTTP (falls back to SSE)</option>
              <option value="sse">HTTP+SSE (older servers)</option>
            </Select>
          </Field>
          <Field
            label="Authentication"
            htmlFor="mcp-auth"
            hint={
              form.authType === "oauth"
                ? "OAuth as the MCP specification describes it: after registering, an Admin connects the server's account."
                : undefined
            }
          >
            <Select
              id="mcp-auth"
              value={form.authType}
              onChange={(e) => {
                const authType = e.target.value as FormState["authType"];
                setForm((f) => ({ ...f, authType, headers: authType === "none" ? [] : f.headers }));
              }}
            >
              <option value="none">None</option>
              <option value="headers">Headers (bearer token, API key)</option>
              <option value="oauth">OAuth</option>
            </Select>
          </Field>
          {form.authType === "oauth" && (
            <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
              <legend className="px-1 text-sm font-medium text-slate-700">OAuth client (optional)</legend>
              <p className="text-xs text-slate-500">
                Leave empty to let Switchboard register itself with the server&apos;s authorization server (dynamic client registration). A
                client registered by hand needs the redirect URI{" "}
                <code className="break-all">
                  {typeof window === "undefined" ? "/api/oauth/callback" : `${window.location.origin}/api/oauth/callback`}
                </code>
                .
              </p>
              <Field label="Client ID" htmlFor="mcp-client-id" error={errors["auth.clientId"]}>
                <Input
                  id="mcp-client-id"
                  value={form.clientId}
                  invalid={!!errors["auth.clientId"]}
                  onChange={(e) => set("clientId", e.target.value)}
                />
              </Field>
              <Field label="Client secret" htmlFor="mcp-client-secret" error={errors["auth.clientSecret"]} hint="Stored encrypted">
                <Input
                  id="mcp-client-secret"
                  type="password"
                  autoComplete="off"
                  value={form.clientSecret}
                  invalid={!!errors["auth.clientSecret"]}
                  onChange={(e) => set("clientSecret", e.target.value)}
                />
              </Field>
              <Field
                label="Scopes"
                htmlFor="mcp-scopes"
                error={Object.entries(errors).find(([k]) => k.startsWith("auth.scopes"))?.[1]}
                hint="Separated by spaces; empty: the scopes the server asks for"
              >
                <Input id="mcp-scopes" value={form.scopes} onChange={(e) => set("scopes", e.target.value)} />
              </Field>
            </fieldset>
          )}
          {form.authType !== "oauth" && (
            <fieldset className="space-y-2">
              <legend className="text-sm font-medium text-slate-700">Headers</legend>
              <p className="text-xs text-slate-500">
                Sent to this server only (an Authorization bearer token, an API key); values are stored encrypted.
              </p>
              {form.headers.map((h, i) => (
                <div key={i} className="flex gap-2">
                  <Input
                    aria-label={`Header ${i + 1} name`}
                    placeholder="Authorization"
                    value={h.name}
                    invalid={!!errors[`headers[${i}].name`]}
                    onChange={(e) =>
                      set(
                        "headers",
                        form.headers.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)),
                      )
                    }
                  />
                  <Input
                    aria-label={`Header ${i + 1} value`}
                    type="password"
                    autoComplete="off"
                    placeholder="Bearer …"
                    value={h.value}
                    invalid={!!errors[`headers[${i}].value`]}
                    onChange={(e) =>
                      set(
                        "headers",
                        form.headers.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)),
                      )
                    }
                  />
                  <Button
                    type="button"
                    variant="ghost"
                    aria-label={`Remove header ${i + 1}`}
                    onClick={() =>
                      set(
                        "headers",
                        form.headers.filter((_, j) => j !== i),
                      )
                    }
                  >
                    <Trash2 className="size-4" aria-hidden />
                  </Button>
                </div>
              ))}
              {Object.entries(errors)
                .filter(([k]) => k.startsWith("headers"))
                .map(([k, m]) => (
                  <p key={k} role="alert" className="text-xs text-red-600">
                    {k}: {m}
                  </p>
                ))}
              <Button
                type="button"
                variant="secondary"
                onClick={() => setForm((f) => ({ ...f, authType: "headers", headers: [...f.headers, { name: "", value: "" }] }))}
              >
                <Plus className="size-4" aria-hidden /> Add header
              </Button>
            </fieldset>
          )}
          {canMarkInternal && (
            <label className="flex items-start gap-2 text-sm text-slate-700">
              <input type="checkbox" className="mt-0.5" checked={form.internal} onChange={(e) => set("internal", e.target.checked)} />
              <span>
                Internal: allow private and loopback addresses
                <span className="block text-xs text-slate-500">For servers inside your network; only Admins can set this.</span>
              </span>
            </label>
          )}
        </div>
        <ErrorBanner error={save.error} />
        <DialogFooter>
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? (form.authType === "oauth" ? "Saving…" : "Connecting…") : "Register"}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
