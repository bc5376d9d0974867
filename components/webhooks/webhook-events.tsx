"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Inbox, RefreshCw } from "lucide-react";
import { useState } from "react";
import { WEBHOOK_DELIVERY_STATUSES, type WebhookEventDto } from "@/lib/schemas/webhooks";
import type { WebhookStatsRange } from "@/lib/schemas/webhook-stats";
import { api, type Page } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { SelectFilter } from "@/components/ui/filter-field";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { Pagination, useCursorPages } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { ListRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { EventDrawer } from "./event-drawer";
import { webhookKeys } from "./keys";
import { ReplayButton } from "./replay-button";
import { DELIVERY_LABELS, DeliveryBadge, reasonLabel } from "./status";
import { WebhookChart } from "./webhook-chart";

interface Filters {
  q?: string;
  verified?: string;
  duplicate?: string;
  deliveryStatus?: string;
}

/** The endpoint's chart and its requests, newest first, with filters; a row opens the event's details. */
export function WebhookEvents({ endpointId, canManage }: { endpointId: string; canManage: boolean }) {
  const qc = useQueryClient();
  const [filters, setFilters] = useState<Filters>({});
  const [range, setRange] = useState<WebhookStatsRange>("24h");
  const [openId, setOpenId] = useState<string | null>(null);
  const pages = useCursorPages();
  const events = useQuery({
    queryKey: webhookKeys.events(endpointId, { ...filters, cursor: pages.cursor }),
    queryFn: () => api<Page<WebhookEventDto>>(`/webhooks/${endpointId}/events`, { query: { ...filters, cursor: pages.cursor, limit: 25 } }),
    placeholderData: keepPreviousData,
  });
  const setFilter = (k: keyof Filters, v: string | undefined) => {
    setFilters((f) => ({ ...f, [k]: v }));
    pages.reset();
  };
  const open = events.data?.data.find((e) => e.id === openId) ?? null;
  const filtered = Object.values(filters).some(Boolean);
  return (
    <div className="space-y-4">
      <WebhookChart endpointId={endpointId} range={range} onRange={setRange} />
      <div className="flex flex-wrap items-end gap-3">
        <SearchInput label="Search event id or reason" value={filters.q ?? ""} onChange={(v) => setFilter("q", v || undefined)} />
        <SelectFilter
          label="Verification"
          value={filters.verified}
          options={[
            ["true", "Verified"],
            ["false", "Refused"],
          ]}
          onChange={(v) => setFilter("verified", v)}
          className="w-36"
        />
        <SelectFilter
          label="Duplicate"
          value={filters.duplicate}
          options={[
            ["true", "Duplicates"],
            ["false", "Not duplicates"],
          ]}
          onChange={(v) => setFilter("duplicate", v)}
          className="w-40"
        />
        <SelectFilter
          label="Delivery"
          value={filters.deliveryStatus}
          options={WEBHOOK_DELIVERY_STATUSES.map((s) => [s, DELIVERY_LABELS[s]] as const)}
          onChange={(v) => setFilter("deliveryStatus", v)}
          className="w-44"
        />
        <Button
          variant="secondary"
          className="ml-auto"
          onClick={() => void qc.invalidateQueries({ queryKey: webhookKeys.one(endpointId) })}
          disabled={events.isFetching}
        >
          <RefreshCw className={`size-4 ${events.isFetching ? "animate-spin" : ""}`} aria-hidden /> Refresh
        </Button>
      </div>
      <ErrorBanner error={events.error} />
      <Table label="Events">
        <THead>
          <Th>Received</Th>
          <Th>Verification</Th>
          <Th>Duplicate</Th>
          <Th>Delivery</Th>
          <Th className="text-right">Response</Th>
          <Th className="text-right">Latency</Th>
        </THead>
        <tbody>
          <ListRows
            pending={events.isPending}
            items={events.data?.data}
            columns={6}
            empty={
              <EmptyState icon={Inbox} title={filtered ? "No event matches" : "No events yet"} className="border-0">
                {!filtered && <p>Every request to this endpoint appears here, verified or not, with why it was refused.</p>}
              </EmptyState>
            }
          >
            {(e) => (
              <Tr key={e.id}>
                <Td className="whitespace-nowrap">
                  <button
                    type="button"
                    className="text-left font-medium text-brand-700 hover:underline"
                    title={formatDateTime(e.receivedAt)}
                    aria-label={`Open event ${e.id}`}
                    onClick={() => setOpenId(e.id)}
                  >
                    {formatRelative(e.receivedAt)}
                  </button>
                  {e.replayOfId && (
                    <Badge tone="violet" className="ml-1.5">
                      replay
                    </Badge>
                  )}
                </Td>
                <Td>
                  {e.verified ? <Badge tone="green">Verified</Badge> : <Badge tone="red">Refused</Badge>}
                  {e.reason && <span className="ml-1.5 text-xs text-slate-600">{reasonLabel(e.reason)}</span>}
                </Td>
                <Td className="text-slate-600">{e.duplicate ? <Badge tone="amber">Duplicate</Badge> : "—"}</Td>
                <Td>
                  <DeliveryBadge status={e.deliveryStatus} />
                </Td>
                <Td className="text-right tabular-nums">{e.responseStatus}</Td>
                <Td className="text-right tabular-nums">{e.latencyMs} ms</Td>
              </Tr>
            )}
          </ListRows>
        </tbody>
      </Table>
      <Pagination page={pages.page} hasPrev={pages.page > 1} nextCursor={events.data?.nextCursor} onPrev={pages.prev} onNext={pages.next} />
      <EventDrawer
        endpointId={endpointId}
        event={open}
        onClose={() => setOpenId(null)}
        replay={
          canManage && open?.verified ? (
            <ReplayButton
              endpointId={endpointId}
              event={open}
              onReplayed={() => {
                setOpenId(null);
                pages.reset();
              }}
            />
          ) : undefined
        }
      />
    </div>
  );
}
