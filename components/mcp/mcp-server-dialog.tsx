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
}
const EMPTY: FormState = { name: "", url: "", transport: "streamable-http", internal: false, headers: [] };

/** Register an MCP server: URL, transport, auth headers (stored encrypted), internal (Admins only). */
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
    const parsed = createMcpServerSchema.safeParse(form);
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
          <Button type="button" variant="secondary" onClick={() => set("headers", [...form.headers, { name: "", value: "" }])}>
            <Plus className="size-4" aria-hidden /> Add header
          </Button>
        </fieldset>
        {canMarkInternal && (
          <label className="flex items-start gap-2 text-sm text-slate-700">
            <input type="checkbox" className="mt-0.5" checked={form.internal} onChange={(e) => set("internal", e.target.checked)} />
            <span>
              Internal: allow private and loopback addresses
              <span className="block text-xs text-slate-500">For servers inside your network; only Admins can set this.</span>
            </span>
          </label>
        )}
        <ErrorBanner error={save.error} />
        <DialogFooter>
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? "Connecting…" : "Register"}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
