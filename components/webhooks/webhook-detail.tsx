"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, Power } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { WebhookDto } from "@/lib/schemas/webhooks";
import { api } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { DeleteAction } from "@/components/ui/delete-action";
import { webhookKeys } from "./keys";
import { SCHEME_LABELS } from "./schemes";
import { SenderHint } from "./sender-hint";
import { EnabledBadge, LastEvent } from "./status";
import { WebhookEvents } from "./webhook-events";
import { WebhookSecrets } from "./webhook-secrets";
import { WebhookSettings } from "./webhook-settings";

const TABS = [
  { id: "events", label: "Event log" },
  { id: "secrets", label: "Secrets" },
  { id: "settings", label: "Settings" },
  { id: "sender", label: "Sender setup" },
] as const;

export function WebhookDetail({ ws, origin, initial, canManage }: { ws: string; origin: string; initial: WebhookDto; canManage: boolean }) {
  const qc = useQueryClient();
  const router = useRouter();
  const hook = useQuery({
    queryKey: webhookKeys.one(initial.id),
    queryFn: () => api<WebhookDto>(`/webhooks/${initial.id}`),
    initialData: initial,
  });
  const w = hook.data;
  const url = `${origin}${w.path}`;
  const [tab, setTab] = useState<(typeof TABS)[number]["id"]>("events");
  const toggle = useMutation({
    mutationFn: () => api<WebhookDto>(`/webhooks/${w.id}`, { method: "PATCH", body: { enabled: !w.enabled } }),
    onSuccess: (next) => {
      qc.setQueryData(webhookKeys.one(w.id), next);
      void qc.invalidateQueries({ queryKey: webhookKeys.all(w.workspaceId) });
    },
  });
  return (
    <div className="space-y-5">
      <Link href={`/w/${ws}/providers/webhooks`} className="inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-800">
        <ArrowLeft className="size-3.5" aria-hidden /> All incoming webhooks
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 max-w-3xl space-y-1">
          <h2 className="flex items-center gap-2 text-lg font-semibold text-slate-900">
            <span data-testid="webhook-name">{w.name}</span>
            <EnabledBadge enabled={w.enabled} />
            {w.source === "config" && <Badge tone="violet">config</Badge>}
          </h2>
          {w.description && <p className="text-sm text-slate-600">{w.description}</p>}
          <div className="flex items-center gap-2">
            <code data-testid="webhook-ingress-url" className="truncate font-mono text-xs text-slate-600">
              {url}
            </code>
            <CopyButton value={url} label="Copy URL" />
          </div>
          <p className="text-sm text-slate-500">
            {SCHEME_LABELS[w.scheme]} · {w.target.type} {w.target.name} ·{" "}
            {w.mode === "sync" ? `sync, ${w.syncTimeoutMs / 1000} s timeout` : "async"} · last 24 h: {w.stats.received} received,{" "}
            {w.stats.refused} refused · <LastEvent w={w} />
          </p>
        </div>
        {canManage && (
          <div className="flex gap-2">
            <Button variant="secondary" onClick={() => toggle.mutate()} pending={toggle.isPending}>
              <Power className="size-4" aria-hidden /> {w.enabled ? "Disable" : "Enable"}
            </Button>
            <DeleteAction
              title={`Delete ${w.name}?`}
              description={
                <p>
                  The URL stops answering at once (senders get 404), and the endpoint&apos;s secrets and event log are deleted. Events
                  already queued for the target are deleted with it.
                </p>
              }
              confirmLabel="Delete webhook"
              request={() => api<void>(`/webhooks/${w.id}`, { method: "DELETE" })}
              onDeleted={() => {
                void qc.invalidateQueries({ queryKey: webhookKeys.all(w.workspaceId) });
                qc.removeQueries({ queryKey: webhookKeys.one(w.id) });
                router.push(`/w/${ws}/providers/webhooks`);
              }}
            />
          </div>
        )}
      </div>
      <ErrorBanner error={toggle.error} />
      <div role="tablist" aria-label="Webhook" className="flex gap-4 border-b border-slate-200">
        {TABS.map((t) => (
          <button
            key={t.id}
            role="tab"
            type="button"
            aria-selected={tab === t.id}
            onClick={() => setTab(t.id)}
            className={`-mb-px border-b-2 px-1 pb-2 text-sm font-medium ${tab === t.id ? "border-brand-600 text-brand-700" : "border-transparent text-slate-500 hover:text-slate-800"}`}
          >
            {t.label}
            {t.id === "secrets" ? ` (${w.secrets.length})` : ""}
          </button>
        ))}
      </div>
      {tab === "events" && <WebhookEvents endpointId={w.id} canManage={canManage} />}
      {tab === "secrets" && <WebhookSecrets w={w} origin={origin} canManage={canManage} />}
      {tab === "settings" && <WebhookSettings w={w} ws={ws} canManage={canManage} />}
      {tab === "sender" && (
        <div className="max-w-3xl rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <SenderHint url={url} scheme={w.scheme} options={w.options} />
        </div>
      )}
    </div>
  );
}
