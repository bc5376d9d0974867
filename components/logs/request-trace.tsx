"use client";

import * as RadixDialog from "@radix-ui/react-dialog";
import { useQuery } from "@tanstack/react-query";
import { CheckCircle2, CircleX, X } from "lucide-react";
import { api } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { formatDateTime } from "@/components/ui/format";
import { Skeleton } from "@/components/ui/skeleton";
import type { AttemptDto, UsageRequestDetailDto } from "@/lib/schemas/usage";
import { formatCost, formatMs, formatTokens, keyLabel, OUTCOME_LABELS, outcomeTone, servedByLabel, statusTone } from "./format";
import { logKeys } from "./keys";
import { RequestBodies } from "./request-bodies";

/** A side panel with one request's route trace: every attempt in the order it was made, then the outcome. */
export function RequestTrace({ workspaceId, requestId, onClose }: { workspaceId: string; requestId: string | null; onClose: () => void }) {
  const detail = useQuery({
    queryKey: logKeys.detail(workspaceId, requestId ?? ""),
    queryFn: () => api<UsageRequestDetailDto>(`/usage/requests/${encodeURIComponent(requestId!)}`, { query: { workspaceId } }),
    enabled: !!requestId,
  });
  const r = detail.data;
  return (
    <RadixDialog.Root open={!!requestId} onOpenChange={(o) => !o && onClose()}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/30" />
        <RadixDialog.Content className="fixed inset-y-0 right-0 z-50 flex w-full max-w-xl flex-col overflow-y-auto bg-white shadow-xl ring-1 ring-slate-200 focus:outline-none">
          <div className="flex items-start justify-between gap-4 border-b border-slate-200 px-6 py-4">
            <div className="min-w-0">
              <RadixDialog.Title className="text-base font-semibold text-slate-900">Request trace</RadixDialog.Title>
              <RadixDialog.Description className="mt-0.5 truncate font-mono text-xs text-slate-500">{requestId}</RadixDialog.Description>
            </div>
            <RadixDialog.Close className="rounded-md p-1 text-slate-400 hover:bg-slate-100 hover:text-slate-600" aria-label="Close">
              <X className="size-4" aria-hidden />
            </RadixDialog.Close>
          </div>
          <div className="space-y-6 px-6 py-5">
            <ErrorBanner error={detail.error} />
            {detail.isPending && requestId ? (
              <div className="space-y-3" aria-hidden>
                <Skeleton className="h-5 w-2/3" />
                <Skeleton className="h-24 w-full" />
                <Skeleton className="h-24 w-full" />
              </div>
            ) : r ? (
              <>
                <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm">
                  <Item label="Time">{formatDateTime(r.at)}</Item>
                  <Item label="Endpoint">{r.endpoint}</Item>
                  <Item label="Model">{r.model}</Item>
                  <Item label="Served by">{servedByLabel(r)}</Item>
                  <Item label="Key">{keyLabel(r.key)}</Item>
                  <Item label="User · agent">
                    {r.userId ?? "—"} · {r.agentId ?? "—"}
                  </Item>
                  <Item label="Tokens in / out / cached">
                    {formatTokens(r.inputTokens)} / {formatTokens(r.outputTokens)} / {formatTokens(r.cachedTokens)}
                    {r.estimated && " (estimated)"}
                  </Item>
                  <Item label="Cost">{formatCost(r.costUsd)}</Item>
                  <Item label="Latency · TTFT">
                    {formatMs(r.latencyMs)} · {formatMs(r.ttftMs)}
                  </Item>
                  <Item label="Streamed">{r.streamed ? "Yes" : "No"}</Item>
                </dl>
                <section aria-label="Attempts">
                  <h3 className="mb-3 text-sm font-semibold text-slate-900">Route taken</h3>
                  {r.attempts.length === 0 ? (
                    <p className="text-sm text-slate-500">
                      No upstream was called: the gateway answered this request itself{r.errorCode ? ` (${r.errorCode})` : ""}.
                    </p>
                  ) : (
                    <ol className="space-y-3">
                      {r.attempts.map((a, i) => (
                        <Attempt key={i} a={a} n={i + 1} />
                      ))}
                    </ol>
                  )}
                </section>
                <section aria-label="Outcome" className="rounded-lg bg-slate-50 p-4 ring-1 ring-slate-200">
                  <h3 className="mb-2 text-sm font-semibold text-slate-900">Outcome</h3>
                  <div className="flex flex-wrap items-center gap-2 text-sm">
                    <Badge tone={statusTone(r.status)}>{r.status}</Badge>
                    <Badge tone={outcomeTone(r.outcome)}>{OUTCOME_LABELS[r.outcome]}</Badge>
                    {r.errorCode && <span className="font-mono text-xs text-slate-600">{r.errorCode}</span>}
                  </div>
                </section>
                <RequestBodies workspaceId={workspaceId} requestId={r.requestId} />
              </>
            ) : null}
          </div>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

function Attempt({ a, n }: { a: AttemptDto; n: number }) {
  const ok = a.status !== null && a.status < 400 && !a.error;
  return (
    <li className="rounded-lg p-3 ring-1 ring-slate-200" aria-label={`Attempt ${n}`}>
      <div className="flex items-center justify-between gap-3">
        <div className="flex min-w-0 items-center gap-2">
          {ok ? (
            <CheckCircle2 className="size-4 shrink-0 text-emerald-600" aria-hidden />
          ) : (
            <CircleX className="size-4 shrink-0 text-red-600" aria-hidden />
          )}
          <span className="text-xs text-slate-400">#{n}</span>
          <span className="truncate font-medium text-slate-900">{a.targetName}</span>
          <Badge>{a.targetType}</Badge>
          {a.targetDeleted && <Badge tone="amber">deleted</Badge>}
        </div>
        <Badge tone={statusTone(a.status)}>{a.status ?? "no response"}</Badge>
      </div>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
        <dt className="text-slate-500">Upstream model</dt>
        <dd className="font-mono text-slate-700">{a.upstreamModel || "—"}</dd>
        <dt className="text-slate-500">{a.targetType === "platform" ? "Via key" : "Via instance"}</dt>
        <dd className="break-all text-slate-700">{a.viaLabel ?? (a.via ? `${a.via} (removed)` : "—")}</dd>
        <dt className="text-slate-500">Latency</dt>
        <dd className="text-slate-700">{formatMs(a.latencyMs)}</dd>
        {a.error && (
          <>
            <dt className="text-slate-500">Error</dt>
            <dd className="break-words text-red-700">{a.error}</dd>
          </>
        )}
      </dl>
    </li>
  );
}

function Item({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="truncate text-slate-800">{children}</dd>
    </div>
  );
}
