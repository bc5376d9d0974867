"use client";

import * as RadixDialog from "@radix-ui/react-dialog";
import { useQuery } from "@tanstack/react-query";
import { X } from "lucide-react";
import type { WebhookEventDto } from "@/lib/schemas/webhooks";
import { api } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { formatDateTime } from "@/components/ui/format";
import { webhookKeys } from "./keys";
import { DeliveryBadge, reasonLabel } from "./status";

function Item({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="mt-0.5 break-words text-slate-800">{children}</dd>
    </div>
  );
}

function prettyPayload(payload: unknown): string {
  if (payload === null || payload === undefined) return "(no payload stored)";
  if (typeof payload === "string") return payload;
  return JSON.stringify(payload, null, 2);
}

/**
 * One event: how it was answered, the payload (redacted fields masked), the headers kept, and its delivery. The
 * list's row shows at once; the event itself is read as the drawer opens, since a list leaves out payloads over 16 KB.
 */
export function EventDrawer({
  endpointId,
  event,
  onClose,
  replay,
}: {
  endpointId: string;
  /** The list's row of the event to show, null when closed. */
  event: WebhookEventDto | null;
  onClose: () => void;
  /** The Replay button (with its confirmation), when the viewer may replay this event. */
  replay?: React.ReactNode;
}) {
  const eventId = event?.id ?? "";
  const detail = useQuery({
    queryKey: webhookKeys.event(endpointId, eventId),
    queryFn: () => api<WebhookEventDto>(`/webhooks/${endpointId}/events/${eventId}`),
    enabled: !!event,
  });
  const e = detail.data && detail.data.id === event?.id ? detail.data : event;
  return (
    <RadixDialog.Root open={!!e} onOpenChange={(o) => !o && onClose()}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/30" />
        <RadixDialog.Content className="fixed inset-y-0 right-0 z-50 flex w-full max-w-xl flex-col overflow-y-auto bg-white shadow-xl ring-1 ring-slate-200 focus:outline-none">
          <div className="flex items-start justify-between gap-4 border-b border-slate-200 px-6 py-4">
            <div className="min-w-0">
              <RadixDialog.Title className="text-base font-semibold text-slate-900">Webhook event</RadixDialog.Title>
              <RadixDialog.Description className="mt-0.5 truncate font-mono text-xs text-slate-500">{e?.id}</RadixDialog.Description>
            </div>
            <div className="flex items-center gap-2">
              {replay}
              <RadixDialog.Close className="rounded-md p-1 text-slate-400 hover:bg-slate-100 hover:text-slate-600" aria-label="Close">
                <X className="size-4" aria-hidden />
              </RadixDialog.Close>
            </div>
          </div>
          {e && (
            <div className="space-y-6 px-6 py-5 text-sm">
              <dl className="grid grid-cols-2 gap-x-6 gap-y-3">
                <Item label="Received">{formatDateTime(e.receivedAt)}</Item>
                <Item label="Verification">
                  {e.verified ? <Badge tone="green">Verified</Badge> : <Badge tone="red">Refused</Badge>}
                  {e.reason && <span className="ml-1.5 text-slate-600">{reasonLabel(e.reason)}</span>}
                </Item>
                <Item label="Answered">
                  {e.responseStatus} in {e.latencyMs} ms
                </Item>
                <Item label="Duplicate">{e.duplicate ? "Yes (not run again)" : "No"}</Item>
                <Item label="Sender's event id">
                  <span className="font-mono text-xs">{e.externalId ?? "—"}</span>
                </Item>
                <Item label="Body">
                  {e.contentType || "—"} · {e.sizeBytes} bytes
                </Item>
                {e.replayOfId && (
                  <Item label="Replay of">
                    <span className="font-mono text-xs">{e.replayOfId}</span>
                  </Item>
                )}
              </dl>
              <section aria-label="Delivery" className="space-y-3">
                <h3 className="text-sm font-semibold text-slate-900">Delivery</h3>
                <dl className="grid grid-cols-2 gap-x-6 gap-y-3">
                  <Item label="Status">
                    <DeliveryBadge status={e.deliveryStatus} />
                  </Item>
                  <Item label="Forward attempts">{e.deliveryAttempts}</Item>
                  <Item label="Delivered">{formatDateTime(e.deliveredAt)}</Item>
                  <Item label="Pulled from the queue">
                    {e.receiveCount === 0 ? "Not yet" : e.receiveCount === 1 ? "Once" : `${e.receiveCount} times`}
                  </Item>
                  <Item label="Acknowledged">{formatDateTime(e.ackedAt)}</Item>
                  {(e.resultStatus !== null || e.completedAt) && (
                    <Item label="Result">
                      {e.resultStatus ?? "—"} · {formatDateTime(e.completedAt)}
                    </Item>
                  )}
                </dl>
                {e.lastError && (
                  <p role="status" className="rounded-md bg-red-50 px-3 py-2 text-red-800 ring-1 ring-red-200">
                    Last error: {e.lastError}
                  </p>
                )}
              </section>
              <section aria-label="Payload">
                <h3 className="mb-1 text-sm font-semibold text-slate-900">Payload</h3>
                {e.payloadTruncated ? (
                  detail.isError ? (
                    <ErrorBanner error={detail.error} />
                  ) : (
                    <p data-testid="webhook-event-payload-loading" aria-busy="true" className="animate-pulse text-slate-500">
                      Loading the payload ({e.sizeBytes} bytes)…
                    </p>
                  )
                ) : (
                  <pre
                    data-testid="webhook-event-payload"
                    className="max-h-96 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs break-all whitespace-pre-wrap text-slate-800 ring-1 ring-slate-200"
                  >
                    {prettyPayload(e.payload)}
                  </pre>
                )}
              </section>
              {e.completedAt && (
                <section aria-label="Result">
                  <h3 className="mb-1 text-sm font-semibold text-slate-900">Result answered to the sender</h3>
                  <pre
                    data-testid="webhook-event-result"
                    className="max-h-64 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs break-all whitespace-pre-wrap text-slate-800 ring-1 ring-slate-200"
                  >
                    {e.result === null || e.result === undefined ? "(no body)" : prettyPayload(e.result)}
                  </pre>
                </section>
              )}
              <section aria-label="Headers">
                <h3 className="mb-1 text-sm font-semibold text-slate-900">Headers</h3>
                {Object.keys(e.headers).length === 0 ? (
                  <p className="text-slate-500">None kept.</p>
                ) : (
                  <dl className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200">
                    {Object.entries(e.headers).map(([k, v]) => (
                      <div key={k} className="grid grid-cols-[12rem_1fr] gap-3 px-3 py-1.5 font-mono text-xs">
                        <dt className="truncate text-slate-500" title={k}>
                          {k}
                        </dt>
                        <dd className="break-all text-slate-800">{v}</dd>
                      </div>
                    ))}
                  </dl>
                )}
              </section>
            </div>
          )}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
