"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Cable, Plus } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { CONNECTOR_STATUSES, type ConnectorDto } from "@/lib/schemas/connectors";
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
import { ConnectorDialog } from "./connector-form";
import { connectorKeys } from "./keys";
import { STATUS_LABELS, StatusLine } from "./status-badge";

export function ConnectorsList({
  workspaceId,
  ws,
  canManage,
  canMarkInternal,
  redirectUri,
}: {
  workspaceId: string;
  ws: string;
  canManage: boolean;
  canMarkInternal: boolean;
  /** Shown in the dialog for the OAuth modes. */
  redirectUri: string;
}) {
  const qc = useQueryClient();
  const router = useRouter();
  const [q, setQ] = useState("");
  const [status, setStatus] = useState("");
  const pages = useCursorPages();
  const list = useQuery({
    queryKey: connectorKeys.list(workspaceId, { q, status, providerId: "", cursor: pages.cursor }),
    queryFn: () => api<Page<ConnectorDto>>("/connectors", { query: { workspaceId, q, status, cursor: pages.cursor, limit: 25 } }),
    placeholderData: keepPreviousData,
  });
  const newButton = canManage && (
    <ConnectorDialog
      workspaceId={workspaceId}
      canMarkInternal={canMarkInternal}
      redirectUri={redirectUri}
      onSaved={(c) => {
        void qc.invalidateQueries({ queryKey: connectorKeys.all(workspaceId) });
        router.push(`/w/${ws}/providers/connectors/${c.id}`);
      }}
      trigger={
        <Button>
          <Plus className="size-4" aria-hidden /> New connector
        </Button>
      }
    />
  );
  const filtered = !!(q || status);
  return (
    <>
      <SectionHeader
        title="Your Connectors"
        description="A provider with the credentials of one account or environment. Agents call its operations as tools; secrets stay encrypted and show only as masks."
        actions={newButton}
      />
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <div className="min-w-64 flex-1">
          <SearchInput
            label="Search by name, description or provider"
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
          {CONNECTOR_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </Select>
      </div>
      <ErrorBanner error={list.error} className="mb-3" />
      <Table label="Connectors">
        <THead>
          <Th>Name</Th>
          <Th>Provider</Th>
          <Th>Authentication</Th>
          <Th>Status</Th>
          <Th>Access</Th>
        </THead>
        <tbody>
          <ListRows
            pending={list.isPending}
            items={list.data?.data}
            columns={5}
            empty={
              <EmptyState icon={Cable} title={filtered ? "No connector matches" : "No connectors yet"} className="border-0">
                {!filtered && (
                  <p>
                    A connector binds an API provider to credentials (an API key, a bearer or app token, basic auth) for one account or
                    environment, so agents can call its operations as tools.
                    {canManage ? "" : " A Builder or Admin of this workspace can create one."}
                  </p>
                )}
              </EmptyState>
            }
          >
            {(c) => (
              <Tr key={c.id}>
                <Td>
                  <Link href={`/w/${ws}/providers/connectors/${c.id}`} className="font-medium text-brand-700 hover:underline">
                    {c.name}
                  </Link>
                  {c.source === "config" && (
                    <Badge tone="violet" className="ml-1.5">
                      config
                    </Badge>
                  )}
                  <span className="block max-w-md truncate font-mono text-xs text-slate-500">{c.baseUrl}</span>
                </Td>
                <Td className="text-slate-700">{c.provider.name}</Td>
                <Td className="text-slate-600">{c.auth.label}</Td>
                <Td>
                  <StatusLine c={c} />
                </Td>
                <Td>
                  {c.public ? <Badge tone="brand">Public</Badge> : <Badge tone="slate">Private</Badge>}
                  {c.internal && (
                    <Badge tone="amber" className="ml-1">
                      Internal
                    </Badge>
                  )}
                </Td>
              </Tr>
            )}
          </ListRows>
        </tbody>
      </Table>
      <Pagination page={pages.page} hasPrev={pages.page > 1} nextCursor={list.data?.nextCursor} onPrev={pages.prev} onNext={pages.next} />
    </>
  );
}
