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
import { Field, Input, Select, Textarea } from "@/components/ui/field";

type Pair = { name: string; value: string };
interface FormState {
  name: string;
  url: string;
  transport: "streamable-http" | "sse" | "stdio";
  internal: boolean;
  headers: Pair[];
  authType: "none" | "headers" | "oauth";
  clientId: string;
  clientSecret: string;
  scopes: string;
  command: string;
  args: string;
  env: Pair[];
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
  command: "",
  args: "",
  env: [],
};

/** The request body: for stdio the command; for HTTP headers only with header authentication, for OAuth the optional client and scopes. */
function toBody(f: FormState) {
  if (f.transport === "stdio")
    return {
      name: f.name,
      transport: "stdio",
      command: f.command,
      args: f.args.split("\n").filter((a) => a.trim() !== ""),
      env: f.env,
    };
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

export interface StdioPolicy {
  enabled: boolean;
  commands: string[];
}

/** Name/secret rows (headers of an HTTP server, variables of a stdio one); values are stored encrypted. */
function SecretRows({
  legend,
  help,
  noun,
  namePlaceholder,
  valuePlaceholder,
  rows,
  errors,
  field,
  onChange,
}: {
  legend: string;
  help: string;
  noun: string;
  namePlaceholder: string;
  valuePlaceholder: string;
  rows: Pair[];
  errors: Record<string, string>;
  field: "headers" | "env";
  onChange: (rows: Pair[]) => void;
}) {
  const edit = (i: number, patch: Partial<Pair>) => onChange(rows.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-700">{legend}</legend>
      <p className="text-xs text-slate-500">{help}</p>
      {rows.map((h, i) => (
        <div key={i} className="flex gap-2">
          <Input
            aria-label={`${noun} ${i + 1} name`}
            placeholder={namePlaceholder}
            value={h.name}
            invalid={!!errors[`${field}[${i}].name`]}
            onChange={(e) => edit(i, { name: e.target.value })}
          />
          <Input
            aria-label={`${noun} ${i + 1} value`}
            type="password"
            autoComplete="off"
            placeholder={valuePlaceholder}
            value={h.value}
            invalid={!!errors[`${field}[${i}].value`]}
            onChange={(e) => edit(i, { value: e.target.value })}
          />
          <Button
            type="button"
            variant="ghost"
            aria-label={`Remove ${noun.toLowerCase()} ${i + 1}`}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            <Trash2 className="size-4" aria-hidden />
          </Button>
        </div>
      ))}
      {Object.entries(errors)
        .filter(([k]) => k.startsWith(field))
        .map(([k, m]) => (
          <p key={k} role="alert" className="text-xs text-red-600">
            {k}: {m}
          </p>
        ))}
      <Button type="button" variant="secondary" onClick={() => onChange([...rows, { name: "", value: "" }])}>
        <Plus className="size-4" aria-hidden /> Add {noun.toLowerCase()}
      </Button>
    </fieldset>
  );
}

/**
 * Register an MCP server: URL, transport, authentication (headers stored encrypted, or OAuth), internal (Admins
 * only); or, when the operator allows it and the user is an Admin, a local stdio command with arguments and secret
 * variables (no OAuth: that is for HTTP servers).
 */
export function McpServerDialog({
  workspaceId,
  canMarkInternal,
  stdio,
  trigger,
  onSaved,
}: {
  workspaceId: string;
  canMarkInternal: boolean;
  stdio?: StdioPolicy;
  trigger: React.ReactNode;
  onSaved: (s: McpServerDto) => void;
}) {
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<FormState>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  // stdio runs a command on the Switchboard host: offered only to Admins, and only when the operator enabled it.
  const offerStdio = canMarkInternal && !!stdio?.enabled;
  const isStdio = form.transport === "stdio";
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
      description={
        offerStdio
          ? "Switchboard connects over Streamable HTTP (or the older HTTP+SSE transport), or starts a local command over stdio, and lists the server's tools, resources and prompts."
          : "Switchboard connects over Streamable HTTP (or the older HTTP+SSE transport) and lists the server's tools, resources and prompts."
      }
    >
      <form onSubmit={submit} noValidate className="space-y-4">
        {/* The fields scroll inside the dialog (the OAuth ones make it taller than a small window); the button stays. */}
        <div className="-mr-2 max-h-[62vh] space-y-4 overflow-y-auto pr-2">
          <Field label="Name" htmlFor="mcp-name" error={errors.name}>
            <Input id="mcp-name" value={form.name} invalid={!!errors.name} onChange={(e) => set("name", e.target.value)} />
          </Field>
          <Field label="Transport" htmlFor="mcp-transport" error={errors.transport}>
            <Select id="mcp-transport" value={form.transport} onChange={(e) => set("transport", e.target.value as FormState["transport"])}>
              <option value="streamable-http">Streamable HTTP (falls back to SSE)</option>
              <option value="sse">HTTP+SSE (older servers)</option>
              {offerStdio && <option value="stdio">stdio (a local command)</option>}
            </Select>
          </Field>
          {isStdio ? (
            <>
              <Field
                label="Command"
                htmlFor="mcp-command"
                error={errors.command}
                hint="The commands the operator allows (SWITCHBOARD_MCP_STDIO_COMMANDS). It runs without a shell, with a scrubbed environment."
              >
                <Select
                  id="mcp-command"
                  value={form.command}
                  aria-invalid={!!errors.command || undefined}
                  onChange={(e) => set("command", e.target.value)}
                >
                  <option value="">Choose a command…</option>
                  {stdio?.commands.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field
                label="Arguments"
                htmlFor="mcp-args"
                error={errors.args}
                hint="One per line, e.g. -y then @modelcontextprotocol/server-everything"
              >
                <Textarea id="mcp-args" rows={3} className="font-mono" value={form.args} onChange={(e) => set("args", e.target.value)} />
              </Field>
              <SecretRows
                legend="Environment variables"
                help="Given to this command only, besides PATH, HOME and a few like them; values are stored encrypted. Put secrets here, not in the arguments."
                noun="Variable"
                namePlaceholder="API_TOKEN"
                valuePlaceholder="value"
                rows={form.env}
                errors={errors}
                field="env"
                onChange={(rows) => set("env", rows)}
              />
            </>
          ) : (
            <>
              <Field label="URL" htmlFor="mcp-url" error={errors.url} hint="The server's MCP endpoint, e.g. https://mcp.example.com/mcp">
                <Input id="mcp-url" value={form.url} invalid={!!errors.url} onChange={(e) => set("url", e.target.value)} />
              </Field>
              <Field
                label="Authentication"
                htmlFor="mcp-auth"
                error={errors["auth.type"]}
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
              {form.authType === "oauth" ? (
                <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
                  <legend className="px-1 text-sm font-medium text-slate-700">OAuth client (optional)</legend>
                  <p className="text-xs text-slate-500">
                    Leave empty to let Switchboard register itself with the server&apos;s authorization server (dynamic client
                    registration). A client registered by hand needs the redirect URI{" "}
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
              ) : (
                <SecretRows
                  legend="Headers"
                  help="Sent to this server only (an Authorization bearer token, an API key); values are stored encrypted."
                  noun="Header"
                  namePlaceholder="Authorization"
                  valuePlaceholder="Bearer …"
                  rows={form.headers}
                  errors={errors}
                  field="headers"
                  // Adding a header chooses header authentication.
                  onChange={(rows) => setForm((f) => ({ ...f, headers: rows, authType: rows.length ? "headers" : f.authType }))}
                />
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
            </>
          )}
        </div>
        <ErrorBanner error={save.error} />
        <DialogFooter>
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? (!isStdio && form.authType === "oauth" ? "Saving…" : "Connecting…") : "Register"}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
