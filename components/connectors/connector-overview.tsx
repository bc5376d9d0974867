"use client";

import { useMutation } from "@tanstack/react-query";
import { PlugZap } from "lucide-react";
import type { ConnectionTestDto, ConnectorDto } from "@/lib/schemas/connectors";
import { api } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { StatusBadge, StatusLine } from "./status-badge";

/** A setting as text: scopes space-separated, authorize parameters as name=value. */
function showSetting(v: unknown): string {
  if (Array.isArray(v)) return v.join(" ") || "—";
  if (v && typeof v === "object")
    return (
      Object.entries(v)
        .map(([k, x]) => `${k}=${String(x)}`)
        .join(", ") || "—"
    );
  return String(v);
}

/** Settings, authentication (masks only), status and the connection test. */
export function ConnectorOverview({ c, canManage, onTested }: { c: ConnectorDto; canManage: boolean; onTested: () => void }) {
  const test = useMutation({
    mutationFn: () => api<ConnectionTestDto>(`/connectors/${c.id}/test`, { method: "POST" }),
    onSuccess: onTested,
  });
  const { mode: _mode, label: _label, ...auth } = c.auth;
  const params = Object.entries(c.params);
  return (
    <div className="grid gap-5 lg:grid-cols-3">
      <dl className="grid gap-4 text-sm sm:grid-cols-2 lg:col-span-2">
        <Item label="Base URL">
          <code className="font-mono text-xs break-all text-slate-700" data-testid="connector-base-url">
            {c.baseUrl}
          </code>
        </Item>
        <Item label="Provider version">{c.pinnedVersionId ? `Pinned to version ${c.pinnedVersionNumber ?? "?"}` : "Latest"}</Item>
        <Item label="Parameters">
          {params.length ? (
            params.map(([k, v]) => (
              <code key={k} className="block font-mono text-xs text-slate-700">
                {k} = {v}
              </code>
            ))
          ) : (
            <span className="text-slate-400">None</span>
          )}
        </Item>
        <Item label={`Authentication: ${c.auth.label}`}>
          {Object.entries(auth).map(([k, v]) => (
            <span key={k} className="block text-xs text-slate-700">
              <span className="text-slate-500">{k}:</span> <code className="font-mono">{showSetting(v)}</code>
            </span>
          ))}
        </Item>
        <Item label="Source">{c.source === "config" ? "Configuration file" : "Console or API"}</Item>
      </dl>
      <section className="space-y-3 rounded-lg bg-white p-4 ring-1 ring-slate-200" aria-label="Connection status">
        <h3 className="text-sm font-semibold text-slate-900">Status</h3>
        <StatusLine c={c} />
        {canManage && (
          <Button variant="secondary" pending={test.isPending} onClick={() => test.mutate()}>
            <PlugZap className="size-4" aria-hidden /> Test connection
          </Button>
        )}
        <ErrorBanner error={test.error} />
        {test.data && (
          <div role="status" data-testid="test-result" className="space-y-1 rounded-md bg-slate-50 p-3 text-sm ring-1 ring-slate-200">
            <StatusBadge status={test.data.status} />
            <p className="text-slate-700">{test.data.reason}</p>
            <p className="text-xs text-slate-500">
              {test.data.httpStatus !== null ? `HTTP ${test.data.httpStatus}` : "No HTTP answer"}
              {test.data.latencyMs !== null ? ` · ${test.data.latencyMs} ms` : ""}
            </p>
          </div>
        )}
      </section>
    </div>
  );
}

function Item({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-slate-700">{children}</dd>
    </div>
  );
}
