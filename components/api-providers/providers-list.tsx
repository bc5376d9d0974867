"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Globe, Plus } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ProviderDto } from "@/lib/schemas/providers";
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
import { ImportDialog } from "./import-dialog";
import { providerKeys } from "./keys";

export function ProvidersList({ workspaceId, ws, canManage }: { workspaceId: string; ws: string; canManage: boolean }) {
  const qc = useQueryClient();
  const router = useRouter();
  const [q, setQ] = useState("");
  const pages = useCursorPages();
  const list = useQuery({
    queryKey: providerKeys.list(workspaceId, { q, cursor: pages.cursor }),
    queryFn: () => api<Page<ProviderDto>>("/providers", { query: { workspaceId, q, cursor: pages.cursor, limit: 25 } }),
    placeholderData: keepPreviousData,
  });
  const importButton = canManage && (
    <ImportDialog
      workspaceId={workspaceId}
      onImported={(p) => {
        void qc.invalidateQueries({ queryKey: providerKeys.all(workspaceId) });
        router.push(`/w/${ws}/providers/api-providers/${p.id}`);
      }}
      trigger={
        <Button>
          <Plus className="size-4" aria-hidden /> Import provider
        </Button>
      }
    />
  );
  return (
    <>
      <SectionHeader
        title="Your API Providers"
        description="External APIs described by OpenAPI documents. Each operation becomes a tool an agent can call through a connector; every import is kept as a version."
        actions={importButton}
      />
      <div className="mb-3">
        <SearchInput
          label="Search by name, title or global id"
          value={q}
          onChange={(v) => {
            setQ(v);
            pages.reset();
          }}
        />
      </div>
      <ErrorBanner error={list.error} className="mb-3" />
      <Table label="API providers">
        <THead>
          <Th>Name</Th>
          <Th>Global id</Th>
          <Th>Specification</Th>
          <Th>Version</Th>
          <Th className="text-right">Operations</Th>
          <Th>Updated</Th>
        </THead>
        <tbody>
          <ListRows
            pending={list.isPending}
            items={list.data?.data}
            columns={6}
            empty={
              <EmptyState icon={Globe} title={q ? "No provider matches" : "No API providers yet"} className="border-0">
                {!q && (
                  <p>
                    Import an OpenAPI document (Swagger 2.0, OpenAPI 3.0 or 3.1) from a file, pasted text or a URL.
                    {canManage ? "" : " A Builder or Admin of this workspace can import one."}
                  </p>
                )}
              </EmptyState>
            }
          >
            {(p) => (
              <Tr key={p.id}>
                <Td>
                  <Link href={`/w/${ws}/providers/api-providers/${p.id}`} className="font-medium text-brand-700 hover:underline">
                    {p.name}
                  </Link>
                  {p.source === "config" && (
                    <Badge tone="violet" className="ml-1.5">
                      config
                    </Badge>
                  )}
                  {p.catalog?.updateAvailable && (
                    <Badge tone="amber" className="ml-1.5">
                      update available
                    </Badge>
                  )}
                  {p.title && p.title !== p.name && <span className="block text-xs text-slate-500">{p.title}</span>}
                </Td>
                <Td className="font-mono text-xs text-slate-600">{p.globalId ?? <span className="text-slate-400">—</span>}</Td>
                <Td className="text-slate-600">
                  {p.specVersion === "2.0" ? "Swagger 2.0" : p.specVersion ? `OpenAPI ${p.specVersion}` : "—"}
                </Td>
                <Td className="text-slate-600">
                  v{p.currentVersionNumber ?? "—"}
                  {p.versionLabel && <span className="ml-1 text-xs text-slate-500">({p.versionLabel})</span>}
                </Td>
                <Td className="text-right tabular-nums">
                  {p.enabledOperationCount === p.operationCount
                    ? p.operationCount.toLocaleString("en")
                    : `${p.enabledOperationCount.toLocaleString("en")} of ${p.operationCount.toLocaleString("en")}`}
                </Td>
                <Td className="whitespace-nowrap text-slate-500">
                  <span title={formatDateTime(p.updatedAt)}>{formatRelative(p.updatedAt)}</span>
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
