"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Plus, Server, Trash2 } from "lucide-react";
import { useState } from "react";
import type { ProviderDto } from "@/lib/schemas/providers";
import { api, ApiError } from "@/components/api/client";
import { connectorKeys } from "@/components/connectors/keys";
import { ErrorBanner } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogFooter } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";

// "Edit servers": the provider's base URLs, as a list to add to and remove from. A server whose URL is kept keeps
// its template and variables; one whose URL changes loses them (they described the old URL).

type Server = ProviderDto["servers"][number];
interface Row {
  url: string;
  description: string;
  original?: Server;
}

const toRows = (servers: Server[]): Row[] => servers.map((s) => ({ url: s.url, description: s.description, original: s }));

export function toServers(rows: Row[]): Server[] {
  return rows.map((r) => {
    const url = r.url.trim();
    const description = r.description.trim();
    if (r.original && r.original.url === url) return { ...r.original, description };
    return { url, description };
  });
}

export function ServersDialog({ p, onSaved }: { p: ProviderDto; onSaved: () => void }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [rows, setRows] = useState<Row[]>([]);
  const save = useMutation({
    mutationFn: () => api<ProviderDto>(`/providers/${p.id}`, { method: "PATCH", body: { servers: toServers(rows) } }),
    onSuccess: () => {
      setOpen(false);
      void qc.invalidateQueries({ queryKey: connectorKeys.providers(p.workspaceId) });
      onSaved();
    },
  });
  const errors = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  const fieldError = Object.keys(errors).some((k) => k.startsWith("servers["));
  const change = (i: number, patch: Partial<Row>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) setRows(toRows(p.servers));
        else save.reset();
      }}
      title={`Servers of ${p.name}`}
      description="The base URLs a connector of this provider can choose from. A re-import whose document lists servers replaces them."
      trigger={
        <Button variant="secondary" size="sm">
          <Server className="size-4" aria-hidden /> Edit servers
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
        {!fieldError && <ErrorBanner error={errors.servers ? new Error(errors.servers) : save.error} />}
        {rows.length === 0 && (
          <p className="text-sm text-slate-500">No servers: connectors of this provider then need a custom base URL.</p>
        )}
        <ol className="space-y-3" aria-label="Servers">
          {rows.map((r, i) => (
            <li key={i} className="space-y-2 rounded-md p-3 ring-1 ring-slate-200">
              <div className="flex items-center justify-between">
                <span className="text-xs font-medium text-slate-500">Server {i + 1}</span>
                <Button
                  type="button"
                  variant="ghost"
                  size="sm"
                  aria-label={`Remove server ${i + 1}`}
                  onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}
                >
                  <Trash2 className="size-4" aria-hidden />
                </Button>
              </div>
              <Field label="URL" htmlFor={`server-${i}-url`} error={errors[`servers[${i}].url`]} hint={r.original?.template}>
                <Input
                  id={`server-${i}-url`}
                  aria-label={`Server ${i + 1} URL`}
                  value={r.url}
                  placeholder="https://api.example.com/v1"
                  onChange={(e) => change(i, { url: e.target.value })}
                />
              </Field>
              <Field label="Description" htmlFor={`server-${i}-description`} error={errors[`servers[${i}].description`]}>
                <Input
                  id={`server-${i}-description`}
                  aria-label={`Server ${i + 1} description`}
                  value={r.description}
                  placeholder="Production"
                  onChange={(e) => change(i, { description: e.target.value })}
                />
              </Field>
            </li>
          ))}
        </ol>
        <Button type="button" variant="secondary" size="sm" onClick={() => setRows((rs) => [...rs, { url: "", description: "" }])}>
          <Plus className="size-4" aria-hidden /> Add server
        </Button>
        <DialogFooter>
          <DialogClose asChild>
            <Button type="button" variant="secondary">
              Cancel
            </Button>
          </DialogClose>
          <Button type="submit" pending={save.isPending} disabled={save.isPending}>
            Save servers
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
