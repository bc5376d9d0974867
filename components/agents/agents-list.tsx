"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Bot, GitFork, Plus, Sparkles } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { AgentDto, AgentKind } from "@/lib/schemas/agents";
import { api, type Page } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { SectionHeader } from "@/components/ui/page-header";
import { Pagination, useCursorPages } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { ListRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { CreateAgentDialog, DeleteAgentButton, EditAgentDialog } from "./agent-dialogs";
import { agentKeys, KIND_INFO } from "./keys";

const ICONS = { worker: Bot, workflow: GitFork, skill: Sparkles } as const;

export function AgentsList({ kind, workspaceId, ws, canManage }: { kind: AgentKind; workspaceId: string; ws: string; canManage: boolean }) {
  const router = useRouter();
  const info = KIND_INFO[kind];
  const [q, setQ] = useState("");
  const pages = useCursorPages();
  const list = useQuery({
    queryKey: agentKeys.list(kind, workspaceId, { q, cursor: pages.cursor }),
    queryFn: () => api<Page<AgentDto>>(`/${info.plural}`, { query: { workspaceId, q, cursor: pages.cursor, limit: 25 } }),
    placeholderData: keepPreviousData,
  });
  const href = (a: AgentDto) => `/w/${ws}${info.path}/${a.id}`;
  const create = canManage && (
    <CreateAgentDialog
      kind={kind}
      workspaceId={workspaceId}
      onCreated={(a) => router.push(href(a))}
      trigger={
        <Button>
          <Plus className="size-4" aria-hidden /> New {info.label}
        </Button>
      }
    />
  );
  return (
    <>
      <SectionHeader title={info.labelPlural} description={info.blurb} actions={create} />
      <div className="mb-3">
        <SearchInput
          label="Search by name or description"
          value={q}
          onChange={(v) => {
            setQ(v);
            pages.reset();
          }}
        />
      </div>
      <ErrorBanner error={list.error} className="mb-3" />
      <Table label={info.labelPlural}>
        <THead>
          <Th>Name</Th>
          <Th>Description</Th>
          <Th className="text-right">Connectors</Th>
          <Th>Updated</Th>
          {canManage && <Th className="sr-only">Actions</Th>}
        </THead>
        <tbody>
          <ListRows
            pending={list.isPending}
            items={list.data?.data}
            columns={canManage ? 5 : 4}
            empty={
              <EmptyState icon={ICONS[kind]} title={q ? `No ${info.label} matches` : `No ${info.plural} yet`} className="border-0">
                {!q && (
                  <p>
                    {info.blurb}
                    {canManage ? "" : " A Builder or Admin of this workspace can create one."}
                  </p>
                )}
              </EmptyState>
            }
          >
            {(a) => (
              <Tr key={a.id}>
                <Td>
                  <Link href={href(a)} className="font-medium text-brand-700 hover:underline">
                    {a.name}
                  </Link>
                  {a.source === "config" && (
                    <Badge tone="violet" className="ml-1.5">
                      config
                    </Badge>
                  )}
                </Td>
                <Td className="max-w-md truncate text-slate-600">{a.description || <span className="text-slate-400">—</span>}</Td>
                <Td className="text-right tabular-nums">{a.connectorCount}</Td>
                <Td className="whitespace-nowrap text-slate-500">
                  <span title={formatDateTime(a.updatedAt)}>{formatRelative(a.updatedAt)}</span>
                </Td>
                {canManage && (
                  <Td className="text-right whitespace-nowrap">
                    <EditAgentDialog
                      agent={a}
                      trigger={
                        <Button variant="ghost" size="sm" aria-label={`Rename ${a.name}`}>
                          Rename
                        </Button>
                      }
                    />
                    <DeleteAgentButton agent={a} size="sm" />
                  </Td>
                )}
              </Tr>
            )}
          </ListRows>
        </tbody>
      </Table>
      <Pagination page={pages.page} hasPrev={pages.page > 1} nextCursor={list.data?.nextCursor} onPrev={pages.prev} onNext={pages.next} />
    </>
  );
}
