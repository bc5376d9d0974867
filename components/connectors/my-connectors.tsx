"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, Cable, RefreshCw, UserRoundCheck } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import type { ConnectSessionDto, MyConnectorDto } from "@/lib/schemas/oauth-connections";
import { api, type Page } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { SectionHeader } from "@/components/ui/page-header";
import { Pagination, useCursorPages } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { ListRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { CONNECTION_STATUS } from "./connector-connections";
import { connectorKeys } from "./keys";

// What a Member sees of connectors: the ones that act on an end user's behalf and that they may see, read-only,
// with their own connection (end user id = their email) and Connect / Reconnect / Disconnect. Nothing else.

const MODE_LABELS: Record<MyConnectorDto["authMode"], string> = { "oauth-user": "OAuth (each user)", hybrid: "Hybrid" };

function ConnectionBadge({ c }: { c: MyConnectorDto }) {
  if (!c.connection) return <Badge tone="slate">Not connected</Badge>;
  const s = CONNECTION_STATUS[c.connection.status];
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

export function MyConnectorsList({ workspaceId, ws }: { workspaceId: string; ws: string }) {
  const [q, setQ] = useState("");
  const pages = useCursorPages();
  const list = useQuery({
    queryKey: connectorKeys.mine(workspaceId, { q, cursor: pages.cursor }),
    queryFn: () =>
      api<Page<MyConnectorDto>>("/me/connectors", { query: { workspaceId, q: q || undefined, cursor: pages.cursor, limit: 25 } }),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <SectionHeader
        title="Your Connectors"
        description="Connectors that act on your behalf: connect your account once, and agents' tool calls for you use it."
      />
      <div className="mb-3 min-w-64">
        <SearchInput
          label="Search by name, description or provider"
          value={q}
          onChange={(v) => {
            setQ(v);
            pages.reset();
          }}
        />
      </div>
      <ErrorBanner error={list.error} className="mb-3" />
      <Table label="Connectors">
        <THead>
          <Th>Name</Th>
          <Th>Provider</Th>
          <Th>Your connection</Th>
        </THead>
        <tbody>
          <ListRows
            pending={list.isPending}
            items={list.data?.data}
            columns={3}
            empty={
              <EmptyState icon={Cable} title={q ? "No connector matches" : "No connectors to connect"} className="border-0">
                {!q && (
                  <p>When a Builder or Admin shares a connector that acts on each user's behalf, you can connect your account here.</p>
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
                  {c.description && <span className="block max-w-md truncate text-xs text-slate-500">{c.description}</span>}
                </Td>
                <Td className="text-slate-700">{c.provider.name}</Td>
                <Td>
                  <ConnectionBadge c={c} />
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

export function MyConnectorDetail({ ws, initial, email }: { ws: string; initial: MyConnectorDto; email: string }) {
  const connector = useQuery({
    queryKey: connectorKeys.myOne(initial.id),
    queryFn: () => api<MyConnectorDto>(`/me/connectors/${initial.id}`),
    initialData: initial,
  });
  const c = connector.data;
  const conn = c.connection;
  return (
    <div className="space-y-5">
      <Link href={`/w/${ws}/providers/connectors`} className="inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-800">
        <ArrowLeft className="size-3.5" aria-hidden /> All connectors
      </Link>
      <div className="max-w-3xl">
        <h2 className="text-lg font-semibold text-slate-900" data-testid="connector-name">
          {c.name}
        </h2>
        <p className="text-sm text-slate-500">
          {c.provider.name} · {MODE_LABELS[c.authMode]}
        </p>
        {c.description && <p className="mt-2 text-sm whitespace-pre-line text-slate-600">{c.description}</p>}
        <p className="mt-2 text-sm text-slate-600">
          Asks for: <span className="font-mono text-xs">{c.scopes.join(" ") || "no particular scopes"}</span>
        </p>
      </div>
      <section aria-labelledby="my-connection" className="max-w-3xl rounded-lg border border-slate-200 bg-white p-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h3 id="my-connection" className="flex items-center gap-2 text-sm font-semibold text-slate-900">
            Your connection <ConnectionBadge c={c} />
          </h3>
          <div className="flex gap-2">
            {!conn && <ConnectButton connectorId={c.id} email={email} label="Connect my account" />}
            {conn?.status === "needs_reauth" && <ConnectButton connectorId={c.id} email={email} label="Reconnect" />}
            {conn && <DisconnectMine c={c} />}
          </div>
        </div>
        {conn ? (
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-6 gap-y-1.5 text-sm">
            <dt className="text-slate-500">As</dt>
            <dd className="text-slate-800">{conn.endUserId}</dd>
            <dt className="text-slate-500">Scopes</dt>
            <dd className="font-mono text-xs text-slate-700">{conn.scopes.join(" ") || "—"}</dd>
            <dt className="text-slate-500">Token expires</dt>
            <dd className="text-slate-700">
              {conn.expiresAt ? <span title={formatDateTime(conn.expiresAt)}>{formatRelative(conn.expiresAt)}</span> : "—"}
            </dd>
            <dt className="text-slate-500">Last error</dt>
            <dd className="text-xs text-red-700">{conn.lastError || <span className="text-slate-400">—</span>}</dd>
          </dl>
        ) : (
          <p className="mt-2 text-sm text-slate-600">
            You have not connected your account. Connecting opens a consent page and then the provider, where you sign in and approve the
            scopes above; tool calls for you ({email}) then act as you.
          </p>
        )}
      </section>
    </div>
  );
}

/** Creates a connect link for the person's own email and follows it to the consent page. */
function ConnectButton({ connectorId, email, label }: { connectorId: string; email: string; label: string }) {
  const go = useMutation({
    mutationFn: () => api<ConnectSessionDto>(`/connectors/${connectorId}/connect-sessions`, { method: "POST", body: { endUserId: email } }),
    onSuccess: (s) => window.location.assign(s.url),
  });
  const Icon = label === "Reconnect" ? RefreshCw : UserRoundCheck;
  return (
    <>
      <Button pending={go.isPending} onClick={() => go.mutate()} title={`As ${email}`}>
        <Icon className="size-4" aria-hidden /> {label}
      </Button>
      {go.error && <ErrorBanner error={go.error} />}
    </>
  );
}

function DisconnectMine({ c }: { c: MyConnectorDto }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const del = useMutation({
    mutationFn: () => api<void>(`/connectors/${c.id}/connections/${c.connection!.id}`, { method: "DELETE" }),
    onSuccess: () => {
      setOpen(false);
      void qc.invalidateQueries({ queryKey: connectorKeys.myOne(c.id) });
      void qc.invalidateQueries({ queryKey: [...connectorKeys.all(c.workspaceId), "mine"] });
    },
  });
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Disconnect
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(o) => {
          setOpen(o);
          if (!o) del.reset();
        }}
        title="Disconnect your account?"
        description={
          <p>
            Your tokens for {c.name} are revoked at the provider (when it offers revocation) and deleted. Tool calls for you fail until you
            connect again.
          </p>
        }
        confirmLabel="Disconnect"
        pending={del.isPending}
        onConfirm={() => del.mutate()}
      >
        <ErrorBanner error={del.error} className="mt-4" />
      </ConfirmDialog>
    </>
  );
}
