"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { LockKeyhole, Plus, ShieldCheck } from "lucide-react";
import { useState } from "react";
import { CREDENTIAL_KIND_LABELS, CREDENTIAL_KINDS, createCredentialSchema, updateCredentialSchema } from "@/lib/schemas/credentials";
import type { CredentialDto } from "@/lib/credentials/credential-dto";
import type { KeyCount } from "@/lib/credentials/rotate-keys";
import { api, type Page } from "@/components/api/client";
import { FormDialog } from "@/components/forms/form-dialog";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { formatDate, formatDateTime, formatRelative } from "@/components/ui/format";
import { SectionHeader } from "@/components/ui/page-header";
import { Pagination, useCursorPages } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { ListRows, SkeletonRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { credentialKeys } from "./keys";

type Scope = { workspaceId: string | null; label: string };

export function CredentialsSettings({
  workspaceId,
  workspaceName,
  instanceAdmin,
}: {
  workspaceId: string;
  workspaceName: string;
  instanceAdmin: boolean;
}) {
  const scopes: Scope[] = [
    { workspaceId, label: workspaceName },
    ...(instanceAdmin ? [{ workspaceId: null, label: "Instance-level (platform keys)" }] : []),
  ];
  const [scopeIndex, setScopeIndex] = useState(0);
  const scope = scopes[scopeIndex];
  const [q, setQ] = useState("");
  const [kind, setKind] = useState("");
  const pages = useCursorPages();
  const scopeKey = scope.workspaceId ?? "instance";
  const list = useQuery({
    queryKey: credentialKeys.list(scopeKey, q, kind, pages.cursor),
    queryFn: () =>
      api<Page<CredentialDto>>("/credentials", {
        query: { workspaceId: scope.workspaceId ?? undefined, q, kind: kind || undefined, cursor: pages.cursor, limit: 25 },
      }),
    placeholderData: keepPreviousData,
  });
  return (
    <div className="space-y-8">
      <section aria-label="Credentials">
        <SectionHeader
          title="Credentials"
          description="Every secret Switchboard holds: vendor API keys, OAuth secrets and tokens, webhook signing secrets, MCP auth headers. Values are encrypted (AES-256-GCM) and never shown again; lists show a mask."
          actions={<CreateCredentialDialog scope={scope} />}
        />
        <div className="mb-3 flex flex-wrap items-end gap-4">
          {scopes.length > 1 && (
            <div className="w-64">
              <label htmlFor="credential-scope" className="mb-1 block text-xs font-medium text-slate-600">
                Scope
              </label>
              <Select
                id="credential-scope"
                value={scopeIndex}
                onChange={(e) => {
                  setScopeIndex(Number(e.target.value));
                  pages.reset();
                }}
              >
                {scopes.map((s, i) => (
                  <option key={s.label} value={i}>
                    {s.label}
                  </option>
                ))}
              </Select>
            </div>
          )}
          <SearchInput
            label="Search credentials"
            value={q}
            onChange={(v) => {
              setQ(v);
              pages.reset();
            }}
          />
          <div className="w-56">
            <label htmlFor="credential-kind-filter" className="mb-1 block text-xs font-medium text-slate-600">
              Kind
            </label>
            <Select
              id="credential-kind-filter"
              value={kind}
              onChange={(e) => {
                setKind(e.target.value);
                pages.reset();
              }}
            >
              <option value="">All kinds</option>
              {CREDENTIAL_KINDS.map((k) => (
                <option key={k} value={k}>
                  {CREDENTIAL_KIND_LABELS[k]}
                </option>
              ))}
            </Select>
          </div>
        </div>
        <ErrorBanner error={list.error} className="mb-3" />
        <Table label="Credentials">
          <THead>
            <Th>Name</Th>
            <Th>Kind</Th>
            <Th>Value</Th>
            <Th>Used by</Th>
            <Th>Created</Th>
            <Th>Last used</Th>
            <Th>Key</Th>
            <Th className="text-right">
              <span className="sr-only">Actions</span>
            </Th>
          </THead>
          <tbody>
            <ListRows
              pending={list.isPending}
              items={list.data?.data}
              columns={8}
              empty={
                <EmptyState icon={LockKeyhole} title={q || kind ? "No credential matches" : "No credentials yet"} className="border-0">
                  {!q && !kind && <p>Add a secret here, or let platforms, connectors and webhooks store theirs as you create them.</p>}
                </EmptyState>
              }
            >
              {(c) => <CredentialRow key={c.id} credential={c} />}
            </ListRows>
          </tbody>
        </Table>
        <Pagination page={pages.page} hasPrev={pages.page > 1} nextCursor={list.data?.nextCursor} onPrev={pages.prev} onNext={pages.next} />
      </section>
      {instanceAdmin && <EncryptionKeys />}
    </div>
  );
}

function CredentialRow({ credential: c }: { credential: CredentialDto }) {
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const remove = useMutation({
    mutationFn: () => api<void>(`/credentials/${c.id}`, { method: "DELETE" }),
    onSuccess: () => {
      setConfirm(false);
      qc.invalidateQueries({ queryKey: credentialKeys.all });
    },
  });
  return (
    <Tr>
      <Td>
        <div className="font-medium text-slate-900">{c.name}</div>
        {c.description && <div className="max-w-xs truncate text-xs text-slate-500">{c.description}</div>}
      </Td>
      <Td>
        <Badge tone="slate">{CREDENTIAL_KIND_LABELS[c.kind]}</Badge>
        {c.source === "config" && (
          <Badge tone="violet" className="ml-1">
            config
          </Badge>
        )}
      </Td>
      <Td>
        <code className="font-mono text-xs text-slate-600">{c.mask}</code>
      </Td>
      <Td className="text-slate-600">
        {c.usedBy.length ? (
          <ul className="space-y-0.5 text-xs">
            {c.usedBy.map((u) => (
              <li key={`${u.ownerType}:${u.ownerId}`}>
                <span className="text-slate-400">{u.ownerType}</span> {u.label}
              </li>
            ))}
          </ul>
        ) : (
          <span className="text-slate-400">Unused</span>
        )}
      </Td>
      <Td className="whitespace-nowrap text-slate-500">
        <span title={formatDateTime(c.createdAt)}>{formatDate(c.createdAt)}</span>
      </Td>
      <Td className="whitespace-nowrap text-slate-500">
        <span title={formatDateTime(c.lastUsedAt)}>{formatRelative(c.lastUsedAt)}</span>
      </Td>
      <Td>
        <code className="font-mono text-xs text-slate-500">{c.keyId}</code>
      </Td>
      <Td className="whitespace-nowrap text-right">
        <ReplaceValueDialog credential={c} />
        <Button variant="ghost" size="sm" onClick={() => setConfirm(true)}>
          Delete
        </Button>
        <ConfirmDialog
          open={confirm}
          onOpenChange={(o) => {
            setConfirm(o);
            if (!o) remove.reset();
          }}
          title={`Delete ${c.name}?`}
          description={
            c.usedBy.length ? (
              <p>This credential is in use; Switchboard will refuse to delete it until nothing uses it.</p>
            ) : (
              <p>The encrypted value is destroyed. Anything configured with it later will need a new secret.</p>
            )
          }
          confirmLabel="Delete"
          pending={remove.isPending}
          onConfirm={() => remove.mutate()}
        >
          <ErrorBanner error={remove.error} className="mt-4" />
        </ConfirmDialog>
      </Td>
    </Tr>
  );
}

function CreateCredentialDialog({ scope }: { scope: Scope }) {
  const qc = useQueryClient();
  return (
    <FormDialog
      schema={createCredentialSchema}
      toInput={(f) => ({
        name: f.get("name"),
        kind: f.get("kind"),
        value: f.get("value"),
        description: f.get("description") ?? "",
      })}
      mutationFn={(input) =>
        api<CredentialDto>("/credentials", { method: "POST", body: input, query: { workspaceId: scope.workspaceId ?? undefined } })
      }
      onSuccess={() => qc.invalidateQueries({ queryKey: credentialKeys.all })}
      title="Add credential"
      description={`Stored encrypted for ${scope.label}. You can replace the value later, but nobody can read it back.`}
      trigger={
        <Button>
          <Plus className="size-4" aria-hidden /> Add credential
        </Button>
      }
      submitLabel="Add"
      autoComplete="off"
    >
      {(errors) => (
        <>
          <Field label="Name" htmlFor="credential-name" error={errors.name} hint="e.g. openai-primary">
            <Input id="credential-name" name="name" invalid={!!errors.name} autoFocus />
          </Field>
          <Field label="Kind" htmlFor="credential-kind" error={errors.kind}>
            <Select id="credential-kind" name="kind" defaultValue="api-key">
              {CREDENTIAL_KINDS.map((k) => (
                <option key={k} value={k}>
                  {CREDENTIAL_KIND_LABELS[k]}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Secret value" htmlFor="credential-value" error={errors.value}>
            <Input
              id="credential-value"
              name="value"
              type="password"
              autoComplete="new-password"
              spellCheck={false}
              invalid={!!errors.value}
            />
          </Field>
          <Field label="Description" htmlFor="credential-description" error={errors.description}>
            <Textarea id="credential-description" name="description" rows={2} invalid={!!errors.description} />
          </Field>
        </>
      )}
    </FormDialog>
  );
}

function ReplaceValueDialog({ credential: c }: { credential: CredentialDto }) {
  const qc = useQueryClient();
  return (
    <FormDialog
      schema={updateCredentialSchema.required({ value: true })}
      toInput={(f) => ({ value: f.get("value") })}
      mutationFn={(input) => api<CredentialDto>(`/credentials/${c.id}`, { method: "PATCH", body: input })}
      onSuccess={() => qc.invalidateQueries({ queryKey: credentialKeys.all })}
      title={`Replace the value of ${c.name}`}
      description={`The current value (${c.mask}) is overwritten. Everything that uses this credential picks up the new value on its next call.`}
      trigger={
        <Button variant="ghost" size="sm">
          Replace value
        </Button>
      }
      submitLabel="Replace"
      autoComplete="off"
    >
      {(errors) => (
        <Field label="New value" htmlFor={`replace-${c.id}`} error={errors.value}>
          <Input
            id={`replace-${c.id}`}
            name="value"
            type="password"
            autoComplete="new-password"
            spellCheck={false}
            invalid={!!errors.value}
            autoFocus
          />
        </Field>
      )}
    </FormDialog>
  );
}

function EncryptionKeys() {
  const counts = useQuery({
    queryKey: credentialKeys.keyCounts,
    queryFn: () => api<Page<KeyCount>>("/credentials/keys"),
  });
  const old = counts.data?.data.filter((k) => !k.current && k.count > 0) ?? [];
  return (
    <section aria-label="Encryption keys">
      <SectionHeader
        title="Encryption keys"
        description="How many stored secrets each key protects, across all workspaces. After adding a new key first in SWITCHBOARD_ENCRYPTION_KEYS, run `npm run keys:rotate`; an old key can be removed once its count is 0."
      />
      <ErrorBanner error={counts.error} className="mb-3" />
      <Table label="Encryption keys">
        <THead>
          <Th>Key id</Th>
          <Th>Secrets</Th>
          <Th>Status</Th>
        </THead>
        <tbody>
          {counts.isPending ? (
            <SkeletonRows columns={3} rows={2} />
          ) : (
            counts.data?.data.map((k) => (
              <Tr key={k.keyId}>
                <Td>
                  <code className="font-mono text-xs">{k.keyId}</code>
                </Td>
                <Td className="tabular-nums">{k.count}</Td>
                <Td>
                  {k.current ? (
                    <Badge tone="green">Encrypts new secrets</Badge>
                  ) : k.count > 0 ? (
                    <Badge tone="amber">Still needed: rotate</Badge>
                  ) : (
                    <Badge tone="slate">Can be retired</Badge>
                  )}
                </Td>
              </Tr>
            ))
          )}
        </tbody>
      </Table>
      {counts.data && !old.length && (
        <p className="mt-2 flex items-center gap-1.5 text-xs text-slate-500">
          <ShieldCheck className="size-3.5 text-emerald-600" aria-hidden /> Every secret is under the current key.
        </p>
      )}
    </section>
  );
}
