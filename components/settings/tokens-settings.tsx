"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle, KeyRound, Plus } from "lucide-react";
import { useState } from "react";
import { createAdminTokenSchema } from "@/lib/schemas/tokens";
import type { AdminTokenDto } from "@/lib/tokens/admin-tokens";
import { api, type Page } from "@/components/api/client";
import { FormDialog } from "@/components/forms/form-dialog";
import { optional } from "@/components/forms/use-schema-form";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input } from "@/components/ui/field";
import { formatDate, formatDateTime, formatRelative } from "@/components/ui/format";
import { OneTimeValue } from "@/components/ui/copy-button";
import { SectionHeader } from "@/components/ui/page-header";
import { Pagination, useCursorPages } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { ListRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { tokenKeys } from "./keys";

function status(t: AdminTokenDto): { label: string; tone: "green" | "red" | "amber" } {
  if (t.revokedAt) return { label: "Revoked", tone: "red" };
  if (t.expiresAt && new Date(t.expiresAt) <= new Date()) return { label: "Expired", tone: "amber" };
  return { label: "Active", tone: "green" };
}

export function TokensSettings() {
  const [q, setQ] = useState("");
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const pages = useCursorPages();
  const tokens = useQuery({
    queryKey: tokenKeys.list(q, includeRevoked, pages.cursor),
    queryFn: () => api<Page<AdminTokenDto>>("/tokens", { query: { q, includeRevoked, cursor: pages.cursor, limit: 25 } }),
    placeholderData: keepPreviousData,
  });
  return (
    <section aria-label="Admin tokens">
      <SectionHeader
        title="Admin tokens"
        description="Bearer tokens for the admin API (/api/admin), with instance-admin rights. Give each automation its own token so you can revoke it alone."
        actions={<CreateTokenDialog />}
      />
      <div className="mb-3 flex flex-wrap items-center gap-4">
        <SearchInput
          label="Search by name"
          value={q}
          onChange={(v) => {
            setQ(v);
            pages.reset();
          }}
        />
        <label className="flex items-center gap-2 text-sm text-slate-600">
          <input
            type="checkbox"
            checked={includeRevoked}
            onChange={(e) => {
              setIncludeRevoked(e.target.checked);
              pages.reset();
            }}
            className="size-4 rounded border-slate-300 text-brand-600 focus:ring-brand-500"
          />
          Show revoked
        </label>
      </div>
      <ErrorBanner error={tokens.error} className="mb-3" />
      <Table label="Admin tokens">
        <THead>
          <Th>Name</Th>
          <Th>Token</Th>
          <Th>Source</Th>
          <Th>Created by</Th>
          <Th>Created</Th>
          <Th>Last used</Th>
          <Th>Expires</Th>
          <Th>Status</Th>
          <Th className="text-right">
            <span className="sr-only">Actions</span>
          </Th>
        </THead>
        <tbody>
          <ListRows
            pending={tokens.isPending}
            items={tokens.data?.data}
            columns={9}
            empty={
              <EmptyState icon={KeyRound} title={q ? "No token matches this search" : "No admin tokens"} className="border-0">
                {!q && <p>Scripts and CI can use the admin API with a token instead of a signed-in session.</p>}
              </EmptyState>
            }
          >
            {(t) => <TokenRow key={t.id} token={t} />}
          </ListRows>
        </tbody>
      </Table>
      <Pagination page={pages.page} hasPrev={pages.page > 1} nextCursor={tokens.data?.nextCursor} onPrev={pages.prev} onNext={pages.next} />
    </section>
  );
}

function TokenRow({ token }: { token: AdminTokenDto }) {
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const revoke = useMutation({
    mutationFn: () => api<AdminTokenDto>(`/tokens/${token.id}`, { method: "DELETE" }),
    onSuccess: () => {
      setConfirm(false);
      qc.invalidateQueries({ queryKey: tokenKeys.all });
    },
  });
  const s = status(token);
  return (
    <Tr>
      <Td className="font-medium text-slate-900">{token.name}</Td>
      <Td>
        <code className="font-mono text-xs text-slate-600">{token.prefix}…</code>
      </Td>
      <Td>
        <Badge tone={token.source === "config" ? "violet" : "slate"}>{token.source}</Badge>
      </Td>
      <Td className="text-slate-500">{token.createdBy ?? "—"}</Td>
      <Td className="whitespace-nowrap text-slate-500">
        <span title={formatDateTime(token.createdAt)}>{formatDate(token.createdAt)}</span>
      </Td>
      <Td className="whitespace-nowrap text-slate-500">
        <span title={formatDateTime(token.lastUsedAt)}>{formatRelative(token.lastUsedAt)}</span>
      </Td>
      <Td className="whitespace-nowrap text-slate-500">{token.expiresAt ? formatDate(token.expiresAt) : "Never"}</Td>
      <Td>
        <Badge tone={s.tone}>{s.label}</Badge>
      </Td>
      <Td className="text-right">
        {!token.revokedAt && (
          <>
            <Button variant="ghost" size="sm" onClick={() => setConfirm(true)}>
              Revoke
            </Button>
            <ConfirmDialog
              open={confirm}
              onOpenChange={(o) => {
                setConfirm(o);
                if (!o) revoke.reset();
              }}
              title={`Revoke ${token.name}?`}
              description={<p>Requests with this token are refused from now on. This cannot be undone.</p>}
              confirmLabel="Revoke"
              pending={revoke.isPending}
              onConfirm={() => revoke.mutate()}
            >
              <ErrorBanner error={revoke.error} className="mt-4" />
            </ConfirmDialog>
          </>
        )}
      </Td>
    </Tr>
  );
}

function CreateTokenDialog() {
  const qc = useQueryClient();
  return (
    <FormDialog
      schema={createAdminTokenSchema}
      toInput={(f) => ({ name: f.get("name"), expiresInDays: optional(f.get("expiresInDays")) })}
      mutationFn={(input) => api<AdminTokenDto & { token: string }>("/tokens", { method: "POST", body: input })}
      onSuccess={() => qc.invalidateQueries({ queryKey: tokenKeys.all })}
      result={{
        heading: { title: "Token created" },
        render: (created) => (
          <>
            <div className="flex gap-2.5 rounded-md bg-amber-50 px-3 py-2.5 text-sm text-amber-900 ring-1 ring-amber-200">
              <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
              <p>Copy this token now and keep it in a secret store. Switchboard stores only its hash and will not show it again.</p>
            </div>
            <OneTimeValue value={created.token} testId="new-token" />
          </>
        ),
      }}
      title="Create admin token"
      description="The token can do everything an instance admin can through the admin API."
      trigger={
        <Button>
          <Plus className="size-4" aria-hidden /> Create token
        </Button>
      }
      submitLabel="Create token"
    >
      {(errors) => (
        <>
          <Field label="Name" htmlFor="token-name" error={errors.name} hint="What uses it, e.g. ci-deploy.">
            <Input id="token-name" name="name" autoComplete="off" invalid={!!errors.name} autoFocus />
          </Field>
          <Field
            label="Expires in (days)"
            htmlFor="token-expiry"
            error={errors.expiresInDays}
            hint="Leave empty for a token that does not expire."
          >
            <Input
              id="token-expiry"
              name="expiresInDays"
              type="number"
              min={1}
              max={3650}
              inputMode="numeric"
              invalid={!!errors.expiresInDays}
            />
          </Field>
        </>
      )}
    </FormDialog>
  );
}
