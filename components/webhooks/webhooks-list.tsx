"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus, Webhook } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { WebhookDto } from "@/lib/schemas/webhooks";
import { api, type Page } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { SectionHeader } from "@/components/ui/page-header";
import { Pagination, useCursorPages } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { ListRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { webhookKeys } from "./keys";
import { SCHEME_LABELS } from "./schemes";
import { EnabledBadge, LastEvent } from "./status";
import { WebhookDialog } from "./webhook-dialog";

export function WebhooksList({
  workspaceId,
  ws,
  origin,
  canManage,
}: {
  workspaceId: string;
  ws: string;
  origin: string;
  canManage: boolean;
}) {
  const qc = useQueryClient();
  const router = useRouter();
  const [q, setQ] = useState("");
  const pages = useCursorPages();
  const list = useQuery({
    queryKey: webhookKeys.list(workspaceId, { q, cursor: pages.cursor }),
    queryFn: () => api<Page<WebhookDto>>("/webhooks", { query: { workspaceId, q, cursor: pages.cursor, limit: 25 } }),
    placeholderData: keepPreviousData,
  });
  const create = (label: string) => (
    <WebhookDialog
      workspaceId={workspaceId}
      ws={ws}
      origin={origin}
      onCreated={(w) => {
        void qc.invalidateQueries({ queryKey: webhookKeys.all(workspaceId) });
        router.push(`/w/${ws}/providers/webhooks/${w.id}`);
      }}
      trigger={
        <Button>
          <Plus className="size-4" aria-hidden /> {label}
        </Button>
      }
    />
  );
  return (
    <>
      <SectionHeader
        title="Incoming Webhooks"
        description="URLs that receive events from GitHub, Stripe, Slack or any sender, verify their signatures and hand them to a worker or workflow."
        actions={canManage && create("New webhook")}
      />
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
      <Table label="Incoming webhooks">
        <THead>
          <Th>Name</Th>
          <Th>Scheme</Th>
          <Th>Target</Th>
          <Th>Mode</Th>
          <Th>Status</Th>
          <Th className="text-right">Last 24 h</Th>
        </THead>
        <tbody>
          <ListRows
            pending={list.isPending}
            items={list.data?.data}
            columns={6}
            empty={
              <EmptyState
                icon={Webhook}
                title={q ? "No webhook matches" : "No incoming webhooks yet"}
                className="border-0"
                action={!q && canManage ? create("Create your first webhook") : undefined}
              >
                {!q && (
                  <p>
                    Each webhook gets its own URL under /api/webhooks, checks the sender&apos;s signature (GitHub, Stripe, Slack, Standard
                    Webhooks, HMAC or a shared secret) and keeps a log of every request to inspect and replay.
                    {canManage ? "" : " A Builder or Admin of this workspace can create one."}
                  </p>
                )}
              </EmptyState>
            }
          >
            {(w) => (
              <Tr key={w.id}>
                <Td>
                  <Link href={`/w/${ws}/providers/webhooks/${w.id}`} className="font-medium text-brand-700 hover:underline">
                    {w.name}
                  </Link>
                  {w.source === "config" && (
                    <Badge tone="violet" className="ml-1.5">
                      config
                    </Badge>
                  )}
                  <span className="block max-w-md truncate text-xs text-slate-500">{w.description || w.path}</span>
                </Td>
                <Td className="text-slate-600">{SCHEME_LABELS[w.scheme]}</Td>
                <Td className="text-slate-600">
                  {w.target.name}
                  <span className="block text-xs text-slate-400">{w.target.type}</span>
                </Td>
                <Td className="text-slate-600">{w.mode === "sync" ? `Sync (${w.syncTimeoutMs / 1000} s)` : "Async"}</Td>
                <Td>
                  <EnabledBadge enabled={w.enabled} />
                  <span className="block text-xs text-slate-500">
                    <LastEvent w={w} />
                  </span>
                </Td>
                <Td className="text-right whitespace-nowrap tabular-nums">
                  <span className="text-slate-700">{w.stats.received} received</span>
                  <span className={`block text-xs ${w.stats.refused ? "text-red-600" : "text-slate-400"}`}>{w.stats.refused} refused</span>
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
