"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Activity } from "lucide-react";
import type { McpCallDto } from "@/lib/schemas/mcp";
import { api, type Page } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { Pagination, useCursorPages } from "@/components/ui/pagination";
import { ListRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { mcpKeys } from "./keys";

const TONES: Record<McpCallDto["outcome"], "green" | "amber" | "red"> = {
  ok: "green",
  tool_error: "amber",
  upstream_error: "red",
  timeout: "red",
  refused: "red",
  too_large: "red",
  failed: "red",
};

/** The server's tool calls, newest first (no arguments or results are recorded). */
export function McpActivity({ serverId }: { serverId: string }) {
  const pages = useCursorPages();
  const calls = useQuery({
    queryKey: mcpKeys.calls(serverId, pages.cursor),
    queryFn: () => api<Page<McpCallDto>>(`/mcp-servers/${serverId}/calls`, { query: { limit: 25, cursor: pages.cursor } }),
    placeholderData: keepPreviousData,
  });
  return (
    <div className="space-y-3">
      <ErrorBanner error={calls.error} />
      <Table label="Calls">
        <THead>
          <Th>When</Th>
          <Th>Tool</Th>
          <Th>Outcome</Th>
          <Th className="text-right">Latency</Th>
          <Th>Caller</Th>
          <Th>End user</Th>
          <Th>Agent</Th>
        </THead>
        <tbody>
          <ListRows
            pending={calls.isPending}
            items={calls.data?.data}
            columns={7}
            empty={
              <EmptyState icon={Activity} title="No calls yet" className="border-0">
                <p>Tool calls through Switchboard appear here with their outcome, latency, end user and agent.</p>
              </EmptyState>
            }
          >
            {(c) => (
              <Tr key={c.id}>
                <Td className="whitespace-nowrap text-slate-600">
                  <span title={formatDateTime(c.createdAt)}>{formatRelative(c.createdAt)}</span>
                </Td>
                <Td className="font-mono text-sm">{c.tool}</Td>
                <Td>
                  <Badge tone={TONES[c.outcome]}>{c.outcome}</Badge>
                </Td>
                <Td className="text-right tabular-nums">{c.latencyMs} ms</Td>
                <Td className="text-slate-600">{c.keyId ? "Workspace key" : "Console"}</Td>
                <Td className="text-slate-600">{c.endUserId ?? "—"}</Td>
                <Td className="text-slate-600">{c.agent ?? "—"}</Td>
              </Tr>
            )}
          </ListRows>
        </tbody>
      </Table>
      <Pagination page={pages.page} hasPrev={pages.page > 1} nextCursor={calls.data?.nextCursor} onPrev={pages.prev} onNext={pages.next} />
    </div>
  );
}
