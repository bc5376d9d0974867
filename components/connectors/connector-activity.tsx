"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Activity } from "lucide-react";
import type { ConnectorCallDto } from "@/lib/schemas/connectors";
import { api, ApiError, type Page } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { Pagination, useCursorPages } from "@/components/ui/pagination";
import { ListRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { connectorKeys } from "./keys";

const OUTCOME_TONES: Record<string, "green" | "amber" | "red" | "slate"> = {
  ok: "green",
  upstream_error: "amber",
  invalid_input: "amber",
  timeout: "red",
  refused: "red",
  failed: "red",
};

/** The tool calls made through the connector, newest first (no bodies or secrets are recorded). */
export function ConnectorActivity({ connectorId }: { connectorId: string }) {
  const pages = useCursorPages();
  const calls = useQuery({
    queryKey: connectorKeys.calls(connectorId, pages.cursor),
    queryFn: () => api<Page<ConnectorCallDto>>(`/connectors/${connectorId}/calls`, { query: { limit: 25, cursor: pages.cursor } }),
    placeholderData: keepPreviousData,
    retry: false,
  });
  // Before any call is recorded there may be nothing to read yet: that is an empty list, not an error.
  const missing = calls.error instanceof ApiError && calls.error.status === 404;
  return (
    <div className="space-y-3">
      {!missing && <ErrorBanner error={calls.error} />}
      <Table label="Calls">
        <THead>
          <Th>When</Th>
          <Th>Operation</Th>
          <Th>Status</Th>
          <Th className="text-right">Latency</Th>
          <Th>End user</Th>
          <Th>Agent</Th>
        </THead>
        <tbody>
          <ListRows
            pending={calls.isPending}
            items={missing ? [] : calls.data?.data}
            columns={6}
            empty={
              <EmptyState icon={Activity} title="No calls yet" className="border-0">
                <p>Tool calls through this connector appear here with their operation, status, latency, end user and agent.</p>
              </EmptyState>
            }
          >
            {(c) => (
              <Tr key={c.id}>
                <Td className="whitespace-nowrap text-slate-600">
                  <span title={formatDateTime(c.createdAt)}>{formatRelative(c.createdAt)}</span>
                </Td>
                <Td>
                  <span className="font-medium text-slate-800">{c.operationId}</span>
                  <span className="block font-mono text-xs text-slate-500">
                    {c.method} {c.path}
                  </span>
                </Td>
                <Td>
                  <Badge tone={OUTCOME_TONES[c.outcome] ?? "slate"}>{c.status ?? c.outcome}</Badge>
                  {c.errorCode && <span className="ml-1 text-xs text-slate-500">{c.errorCode}</span>}
                </Td>
                <Td className="text-right tabular-nums">{c.latencyMs} ms</Td>
                <Td className="text-slate-600">{c.endUserId ?? "—"}</Td>
                <Td className="text-slate-600">{c.agent ?? "—"}</Td>
              </Tr>
            )}
          </ListRows>
        </tbody>
      </Table>
      <Pagination
        page={pages.page}
        hasPrev={pages.page > 1}
        nextCursor={missing ? null : calls.data?.nextCursor}
        onPrev={pages.prev}
        onNext={pages.next}
      />
    </div>
  );
}
