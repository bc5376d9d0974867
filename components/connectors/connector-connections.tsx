"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link2, UserRoundCheck } from "lucide-react";
import { useState } from "react";
import type { ConnectionDto, ConnectSessionDto } from "@/lib/schemas/oauth-connections";
import { endUserIdSchema } from "@/lib/schemas/oauth-connections";
import { api, ApiError, type Page } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { OneTimeValue } from "@/components/ui/copy-button";
import { ConfirmDialog, Dialog, DialogClose, DialogFooter } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input } from "@/components/ui/field";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { Pagination, useCursorPages } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { ListRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { connectorKeys } from "./keys";

// The Connections tab of an OAuth connector: one row per end user with status, scopes, expiry, last refresh
// and last error; Disconnect; a connect link for any end user (Builders); "Connect my account" for the viewer.

export const CONNECTION_STATUS: Record<ConnectionDto["status"], { label: string; tone: "green" | "amber" | "red" }> = {
  active: { label: "Active", tone: "green" },
  needs_reauth: { label: "Needs re-authorization", tone: "red" },
  failing: { label: "Failing", tone: "amber" },
};

export function ConnectorConnections({
  connectorId,
  canManage,
  userEmail,
}: {
  connectorId: string;
  canManage: boolean;
  userEmail: string | null;
}) {
  const pages = useCursorPages();
  const [q, setQ] = useState("");
  const list = useQuery({
    queryKey: connectorKeys.connections(connectorId, { q, cursor: pages.cursor }),
    queryFn: () =>
      api<Page<ConnectionDto>>(`/connectors/${connectorId}/connections`, { query: { limit: 25, cursor: pages.cursor, q: q || undefined } }),
    placeholderData: keepPreviousData,
  });
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <SearchInput
          value={q}
          onChange={(v) => {
            setQ(v);
            pages.reset();
          }}
          label="Search end users"
        />
        <div className="flex gap-2">
          {userEmail && <ConnectMyAccount connectorId={connectorId} email={userEmail} />}
          {canManage && <CreateConnectLink connectorId={connectorId} />}
        </div>
      </div>
      <ErrorBanner error={list.error} />
      <Table label="Connections">
        <THead>
          <Th>End user</Th>
          <Th>Status</Th>
          <Th>Scopes</Th>
          <Th>Token expires</Th>
          <Th>Last refresh</Th>
          <Th>Last error</Th>
          {canManage && <Th className="sr-only">Actions</Th>}
        </THead>
        <tbody>
          <ListRows
            pending={list.isPending}
            items={list.data?.data}
            columns={canManage ? 7 : 6}
            empty={
              <EmptyState icon={Link2} title={q ? "No end user matches" : "No one has connected yet"} className="border-0">
                <p>Create a connect link for an end user: they consent at the provider and their tool calls then act as them.</p>
              </EmptyState>
            }
          >
            {(c) => (
              <Tr key={c.id}>
                <Td className="font-medium text-slate-800">{c.endUserId}</Td>
                <Td>
                  <Badge tone={CONNECTION_STATUS[c.status].tone}>{CONNECTION_STATUS[c.status].label}</Badge>
                </Td>
                <Td className="max-w-48 font-mono text-xs text-slate-600">{c.scopes.join(" ") || "—"}</Td>
                <Td className="whitespace-nowrap text-slate-600">
                  {c.expiresAt ? <span title={formatDateTime(c.expiresAt)}>{formatRelative(c.expiresAt)}</span> : "—"}
                </Td>
                <Td className="whitespace-nowrap text-slate-600">
                  {c.lastRefreshedAt ? <span title={formatDateTime(c.lastRefreshedAt)}>{formatRelative(c.lastRefreshedAt)}</span> : "—"}
                </Td>
                <Td className="max-w-64 text-xs text-red-700">{c.lastError || <span className="text-slate-400">—</span>}</Td>
                {canManage && (
                  <Td className="text-right">
                    <Disconnect connectorId={connectorId} connection={c} />
                  </Td>
                )}
              </Tr>
            )}
          </ListRows>
        </tbody>
      </Table>
      <Pagination page={pages.page} hasPrev={pages.page > 1} nextCursor={list.data?.nextCursor} onPrev={pages.prev} onNext={pages.next} />
    </div>
  );
}

function Disconnect({ connectorId, connection }: { connectorId: string; connection: ConnectionDto }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const del = useMutation({
    mutationFn: () => api<void>(`/connectors/${connectorId}/connections/${connection.id}`, { method: "DELETE" }),
    onSuccess: () => {
      setOpen(false);
      void qc.invalidateQueries({ queryKey: [...connectorKeys.one(connectorId), "connections"] });
    },
  });
  return (
    <>
      <Button variant="secondary" size="sm" onClick={() => setOpen(true)}>
        Disconnect
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(o) => {
          setOpen(o);
          if (!o) del.reset();
        }}
        title={`Disconnect ${connection.endUserId}?`}
        description={
          <p>
            Their tokens are revoked at the provider (when it offers revocation) and deleted. Tool calls for this end user fail until they
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

const createSession = (connectorId: string, endUserId: string) =>
  api<ConnectSessionDto>(`/connectors/${connectorId}/connect-sessions`, { method: "POST", body: { endUserId } });

function CreateConnectLink({ connectorId }: { connectorId: string }) {
  const [open, setOpen] = useState(false);
  const [endUserId, setEndUserId] = useState("");
  const create = useMutation({ mutationFn: () => createSession(connectorId, endUserId.trim()) });
  const parsed = endUserIdSchema.safeParse(endUserId);
  const fieldError =
    (create.error instanceof ApiError ? create.error.fieldErrors().endUserId : undefined) ??
    (endUserId && !parsed.success ? parsed.error.issues[0]?.message : undefined);
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) {
          create.reset();
          setEndUserId("");
        }
      }}
      trigger={
        <Button>
          <Link2 className="size-4" aria-hidden /> Create connect link
        </Button>
      }
      title="Create a connect link"
      description="Send the link to the end user: it opens a consent page (no sign-in needed), works once and expires in 10 minutes."
    >
      {create.data ? (
        <div className="space-y-3">
          <OneTimeValue value={create.data.url} testId="connect-link" />
          <p className="text-xs text-slate-500">Expires {formatDateTime(create.data.expiresAt)}.</p>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button">Done</Button>
            </DialogClose>
          </DialogFooter>
        </div>
      ) : (
        <form
          noValidate
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (parsed.success) create.mutate();
          }}
        >
          {!(create.error instanceof ApiError && create.error.fieldErrors().endUserId) && <ErrorBanner error={create.error} />}
          <Field label="End user id" htmlFor="connect-end-user" error={fieldError} hint="The id your agent platform sends as X-User-Id">
            <Input
              id="connect-end-user"
              value={endUserId}
              onChange={(e) => setEndUserId(e.target.value)}
              maxLength={200}
              autoComplete="off"
            />
          </Field>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="secondary">
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" pending={create.isPending} disabled={!parsed.success || create.isPending}>
              Create link
            </Button>
          </DialogFooter>
        </form>
      )}
    </Dialog>
  );
}

/** The signed-in person connects their own account (end user id = their email) on the consent page. */
function ConnectMyAccount({ connectorId, email }: { connectorId: string; email: string }) {
  const go = useMutation({
    mutationFn: () => createSession(connectorId, email),
    onSuccess: (s) => window.location.assign(s.url),
  });
  return (
    <>
      <Button variant="secondary" pending={go.isPending} onClick={() => go.mutate()} title={`As ${email}`}>
        <UserRoundCheck className="size-4" aria-hidden /> Connect my account
      </Button>
      {go.error && <ErrorBanner error={go.error} />}
    </>
  );
}
