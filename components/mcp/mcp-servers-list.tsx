"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus, Server } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { MCP_STATUSES, type McpServerDto } from "@/lib/schemas/mcp";
import { api, type Page } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Select } from "@/components/ui/field";
import { SectionHeader } from "@/components/ui/page-header";
import { Pagination, useCursorPages } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { ListRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { mcpKeys } from "./keys";
import { McpServerDialog, type StdioPolicy } from "./mcp-server-dialog";
import { McpEndpointCard } from "./mcp-endpoint";
import { McpStatus } from "./status";
import { McpOAuthBadge } from "./mcp-oauth-panel";

export function McpServersList({
  workspaceId,
  ws,
  canManage,
  canMarkInternal,
}: {
  workspaceId: string;
  ws: string;
  canManage: boolean;
  canMarkInternal: boolean;
}) {
  const qc = useQueryClient();
  const router = useRouter();
  const [q, setQ] = useState("");
  const [status, setStatus] = useState("");
  const pages = useCursorPages();
  const list = useQuery({
    queryKey: mcpKeys.list(workspaceId, { q, status, cursor: pages.cursor }),
    queryFn: () =>
      api<Page<McpServerDto> & { stdio: StdioPolicy }>("/mcp-servers", {
        query: { workspaceId, q, status, cursor: pages.cursor, limit: 25 },
      }),
    placeholderData: keepPreviousData,
  });
  const filtered = !!(q || status);
  return (
    <>
      <SectionHeader
        title="MCP Servers"
        description="Model Context Protocol servers whose tools your agents may call through Switchboard. Auth headers stay encrypted."
        actions={
          canManage && (
            <McpServerDialog
              workspaceId={workspaceId}
              canMarkInternal={canMarkInternal}
              stdio={list.data?.stdio}
              onSaved={(s) => {
                void qc.invalidateQueries({ queryKey: mcpKeys.all(workspaceId) });
                router.push(`/w/${ws}/providers/mcp/${s.id}`);
              }}
              trigger={
                <Button>
                  <Plus className="size-4" aria-hidden /> Register server
                </Button>
              }
            />
          )
        }
      />
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <div className="min-w-64 flex-1">
          <SearchInput
            label="Search by name or URL"
            value={q}
            onChange={(v) => {
              setQ(v);
              pages.reset();
            }}
          />
        </div>
        <Select
          aria-label="Status"
          className="w-44"
          value={status}
          onChange={(e) => {
            setStatus(e.target.value);
            pages.reset();
          }}
        >
          <option value="">Any status</option>
          {MCP_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </Select>
      </div>
      <ErrorBanner error={list.error} className="mb-3" />
      <Table label="MCP servers">
        <THead>
          <Th>Name</Th>
          <Th>Server</Th>
          <Th>Tools</Th>
          <Th>Status</Th>
        </THead>
        <tbody>
          <ListRows
            pending={list.isPending}
            items={list.data?.data}
            columns={4}
            empty={
              <EmptyState icon={Server} title={filtered ? "No MCP server matches" : "No MCP servers yet"} className="border-0">
                {!filtered && (
                  <p>
                    Register a server reachable over Streamable HTTP or SSE
                    {list.data?.stdio.enabled ? ", or an Admin can run an allowed local command over stdio" : ""}; Switchboard lists its
                    tools, resources and prompts and lets you choose which tools agents may call.
                    {canManage ? "" : " A Builder or Admin of this workspace can register one."}
                  </p>
                )}
              </EmptyState>
            }
          >
            {(s) => (
              <Tr key={s.id}>
                <Td>
                  <Link href={`/w/${ws}/providers/mcp/${s.id}`} className="font-medium text-brand-700 hover:underline">
                    {s.name}
                  </Link>
                  {s.source === "config" && (
                    <Badge tone="violet" className="ml-1.5">
                      config
                    </Badge>
                  )}
                  {s.internal && (
                    <Badge tone="amber" className="ml-1.5">
                      Internal
                    </Badge>
                  )}
                  <span className="block max-w-md truncate font-mono text-xs text-slate-500">
                    {s.transport === "stdio" ? `stdio: ${[s.command, ...s.args].join(" ")}` : s.url}
                  </span>
                </Td>
                <Td className="text-slate-600">{s.serverName ? `${s.serverName}${s.serverVersion ? ` ${s.serverVersion}` : ""}` : "—"}</Td>
                <Td className="tabular-nums text-slate-700">
                  {s.enabledToolCount} / {s.toolCount} enabled
                </Td>
                <Td>
                  <McpStatus s={s} /> <McpOAuthBadge oauth={s.oauth} />
                </Td>
              </Tr>
            )}
          </ListRows>
        </tbody>
      </Table>
      <Pagination page={pages.page} hasPrev={pages.page > 1} nextCursor={list.data?.nextCursor} onPrev={pages.prev} onNext={pages.next} />
      <McpEndpointCard workspaceId={workspaceId} />
    </>
  );
}
