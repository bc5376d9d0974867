"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle, KeyRound, Plus } from "lucide-react";
import { useState } from "react";
import { createVirtualKeySchema, KEY_STATUSES, updateVirtualKeySchema, type KeyStatus } from "@/lib/schemas/virtual-keys";
import type { VirtualKeyDto } from "@/lib/virtual-keys/key-dto";
import { api, type Page } from "@/components/api/client";
import { FormDialog } from "@/components/forms/form-dialog";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CopyButton, OneTimeValue } from "@/components/ui/copy-button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Select } from "@/components/ui/field";
import { formatDate, formatDateTime, formatRelative } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination, useCursorPages } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { ListRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { KeyFields, keyFieldsInput, useModelNames } from "./key-fields";
import { virtualKeyKeys } from "./keys";

const STATUS_LABELS: Record<KeyStatus, string> = { active: "Active", expired: "Expired", revoked: "Revoked" };
const STATUS_TONES = { active: "green", expired: "amber", revoked: "red" } as const;

const usd = (v: string | null) =>
  v === null ? "—" : `$${Number(v).toLocaleString("en", { minimumFractionDigits: 2, maximumFractionDigits: 6 })}`;
const count = (v: number | null) => (v === null ? "—" : v.toLocaleString("en"));

export function KeysList({ workspaceId, canManage }: { workspaceId: string; canManage: boolean }) {
  const [q, setQ] = useState("");
  const [status, setStatus] = useState("");
  const pages = useCursorPages();
  const filters = { q, status, cursor: pages.cursor };
  const list = useQuery({
    queryKey: virtualKeyKeys.list(workspaceId, filters),
    queryFn: () =>
      api<Page<VirtualKeyDto>>("/keys", { query: { workspaceId, q, status: status || undefined, cursor: pages.cursor, limit: 25 } }),
    placeholderData: keepPreviousData,
  });
  const filtered = !!(q || status);
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys your programs call the gateway (/api/v1, OpenAI-compatible) with. Give each agent or project its own key, with the models it may use, rate limits and a monthly budget; never share a vendor's production key."
        actions={canManage && <CreateKeyDialog workspaceId={workspaceId} />}
      />
      <div className="mb-3 flex flex-wrap items-end gap-4">
        <SearchInput
          label="Search by name, owner or prefix"
          value={q}
          onChange={(v) => {
            setQ(v);
            pages.reset();
          }}
        />
        <div className="w-44">
          <label htmlFor="key-status-filter" className="mb-1 block text-xs font-medium text-slate-600">
            Status
          </label>
          <Select id="key-status-filter" value={status} onChange={(e) => (setStatus(e.target.value), pages.reset())}>
            <option value="">Any status</option>
            {KEY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </Select>
        </div>
      </div>
      <ErrorBanner error={list.error} className="mb-3" />
      <Table label="API keys">
        <THead>
          <Th>Name</Th>
          <Th>Key</Th>
          <Th>Owner</Th>
          <Th>Allowed models</Th>
          <Th className="text-right">RPM</Th>
          <Th className="text-right">TPM</Th>
          <Th className="text-right">Monthly budget</Th>
          <Th>Expires</Th>
          <Th>Last used</Th>
          <Th>Status</Th>
          {canManage && (
            <Th className="text-right">
              <span className="sr-only">Actions</span>
            </Th>
          )}
        </THead>
        <tbody>
          <ListRows
            pending={list.isPending}
            items={list.data?.data}
            columns={canManage ? 11 : 10}
            empty={
              <EmptyState icon={KeyRound} title={filtered ? "No key matches" : "No API keys yet"} className="border-0">
                {!filtered && (
                  <p>
                    Programs authenticate to the gateway with a workspace key:{" "}
                    <code className="font-mono text-xs">Authorization: Bearer sbk_…</code>.
                    {canManage ? " Create one to get started." : " A workspace Admin can create one."}
                  </p>
                )}
              </EmptyState>
            }
          >
            {(k) => <KeyRow key={k.id} k={k} workspaceId={workspaceId} canManage={canManage} />}
          </ListRows>
        </tbody>
      </Table>
      <Pagination page={pages.page} hasPrev={pages.page > 1} nextCursor={list.data?.nextCursor} onPrev={pages.prev} onNext={pages.next} />
    </>
  );
}

function KeyRow({ k, workspaceId, canManage }: { k: VirtualKeyDto; workspaceId: string; canManage: boolean }) {
  return (
    <Tr>
      <Td>
        <span className="font-medium text-slate-900">{k.name}</span>
        {k.source === "config" && (
          <Badge tone="violet" className="ml-1.5">
            config
          </Badge>
        )}
      </Td>
      <Td>
        <code className="font-mono text-xs whitespace-nowrap text-slate-600">{k.prefix}…</code>
      </Td>
      <Td className="text-slate-600">{k.owner || <span className="text-slate-400">—</span>}</Td>
      <Td className="max-w-xs text-xs text-slate-600">
        {k.allowedModels.length ? k.allowedModels.join(", ") : <span className="text-slate-500">All models</span>}
      </Td>
      <Td className="text-right tabular-nums">{count(k.rpm)}</Td>
      <Td className="text-right tabular-nums">{count(k.tpm)}</Td>
      <Td className="text-right tabular-nums">
        {usd(k.monthlyBudgetUsd)}
        {k.monthlyBudgetUsd !== null && k.budgetAction === "notify" && <span className="block text-xs text-slate-500">notify only</span>}
      </Td>
      <Td className="whitespace-nowrap text-slate-500">
        <span title={formatDateTime(k.expiresAt)}>{k.expiresAt ? formatDate(k.expiresAt) : "Never"}</span>
      </Td>
      <Td className="whitespace-nowrap text-slate-500">
        <span title={formatDateTime(k.lastUsedAt)}>{formatRelative(k.lastUsedAt)}</span>
      </Td>
      <Td>
        <Badge tone={STATUS_TONES[k.status]}>{STATUS_LABELS[k.status]}</Badge>
      </Td>
      {canManage && (
        <Td className="text-right whitespace-nowrap">
          {!k.revokedAt && (
            <>
              <EditKeyDialog k={k} workspaceId={workspaceId} />
              <RevokeKey k={k} workspaceId={workspaceId} />
            </>
          )}
        </Td>
      )}
    </Tr>
  );
}

function RevokeKey({ k, workspaceId }: { k: VirtualKeyDto; workspaceId: string }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const revoke = useMutation({
    mutationFn: () => api<VirtualKeyDto>(`/keys/${k.id}`, { method: "DELETE", query: { workspaceId } }),
    onSuccess: () => {
      setOpen(false);
      qc.invalidateQueries({ queryKey: virtualKeyKeys.all(workspaceId) });
    },
  });
  return (
    <>
      <Button variant="ghost" size="sm" onClick={() => setOpen(true)}>
        Revoke
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(o) => {
          setOpen(o);
          if (!o) revoke.reset();
        }}
        title={`Revoke ${k.name}?`}
        description={
          <div className="space-y-2">
            <p>
              Every program calling the gateway with <code className="font-mono text-xs">{k.prefix}…</code>
              {k.owner ? ` (${k.owner})` : ""} gets 401 from now on. This cannot be undone; its usage history is kept.
            </p>
            {k.source === "config" && (
              <p>This key comes from the configuration file: give it a new value there before the file is applied again.</p>
            )}
          </div>
        }
        confirmLabel="Revoke key"
        pending={revoke.isPending}
        onConfirm={() => revoke.mutate()}
      >
        <ErrorBanner error={revoke.error} className="mt-4" />
      </ConfirmDialog>
    </>
  );
}

function EditKeyDialog({ k, workspaceId }: { k: VirtualKeyDto; workspaceId: string }) {
  const qc = useQueryClient();
  return (
    <FormDialog
      schema={updateVirtualKeySchema}
      toInput={(f) => keyFieldsInput(f, k)}
      mutationFn={(input) => api<VirtualKeyDto>(`/keys/${k.id}`, { method: "PATCH", query: { workspaceId }, body: input })}
      onSuccess={() => qc.invalidateQueries({ queryKey: virtualKeyKeys.all(workspaceId) })}
      title={`Edit ${k.name}`}
      description="Changes apply to the next request made with this key."
      trigger={
        <Button variant="ghost" size="sm">
          Edit
        </Button>
      }
      submitLabel="Save"
    >
      {(errors) => <KeyFields errors={errors} initial={k} />}
    </FormDialog>
  );
}

function CreateKeyDialog({ workspaceId }: { workspaceId: string }) {
  const qc = useQueryClient();
  const models = useModelNames();
  return (
    <FormDialog
      schema={createVirtualKeySchema}
      toInput={(f) => keyFieldsInput(f)}
      mutationFn={(input) => api<VirtualKeyDto & { value: string }>("/keys", { method: "POST", query: { workspaceId }, body: input })}
      onSuccess={() => qc.invalidateQueries({ queryKey: virtualKeyKeys.all(workspaceId) })}
      result={{
        heading: { title: "Key created" },
        render: (created) => <CreatedKey created={created} fallbackModel={models.data?.find((m) => !m.inactive)?.name} />,
      }}
      title="Create API key"
      description="The key is shown once, right after it is created."
      trigger={
        <Button>
          <Plus className="size-4" aria-hidden /> Create key
        </Button>
      }
      submitLabel="Create key"
    >
      {(errors) => <KeyFields errors={errors} />}
    </FormDialog>
  );
}

function CreatedKey({ created, fallbackModel }: { created: VirtualKeyDto & { value: string }; fallbackModel?: string }) {
  const base = `${typeof window === "undefined" ? "" : window.location.origin}/api/v1`;
  const model = created.allowedModels[0] ?? fallbackModel ?? "MODEL";
  const curl = [
    `curl ${base}/chat/completions \\`,
    `  -H "Authorization: Bearer ${created.value}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '{"model":"${model}","messages":[{"role":"user","content":"Hello"}]}'`,
  ].join("\n");
  return (
    <>
      <div className="flex gap-2.5 rounded-md bg-amber-50 px-3 py-2.5 text-sm text-amber-900 ring-1 ring-amber-200">
        <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
        <p>Copy this key now and keep it in a secret store. Switchboard stores only its hash and will not show it again.</p>
      </div>
      <OneTimeValue value={created.value} testId="new-key" />
      <div className="space-y-1.5">
        <div className="flex items-center justify-between">
          <p className="text-sm font-medium text-slate-700">Try it</p>
          <CopyButton value={curl} label="Copy command" />
        </div>
        <pre
          data-testid="new-key-curl"
          className="overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100"
        >
          {curl}
        </pre>
        <p className="text-xs text-slate-500">
          With the OpenAI SDK, set the base URL to{" "}
          <code data-testid="new-key-base-url" className="font-mono">
            {base}
          </code>{" "}
          and the API key to this key.
        </p>
      </div>
    </>
  );
}
