"use client";

import { DeleteAction } from "@/components/ui/delete-action";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, ListTree, RefreshCw } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { HTTP_METHOD_NAMES, updateProviderSchema, type OperationDto, type ProviderDto, type VersionDto } from "@/lib/schemas/providers";
import { api, type Page } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { FormDialog } from "@/components/forms/form-dialog";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { Pagination, useCursorPages } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { ListRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { ImportDialog } from "./import-dialog";
import { DiffList, type Diff } from "./diff-list";
import { CatalogSync } from "./catalog-sync";
import { ServersDialog } from "./servers-dialog";
import { AuthSchemesDialog } from "./auth-schemes-dialog";
import { providerKeys } from "./keys";

type OperationPage = Page<OperationDto> & { total: number; tags: string[] };
const METHOD_TONES: Record<string, "green" | "brand" | "amber" | "red" | "violet" | "slate"> = {
  GET: "green",
  POST: "brand",
  PUT: "amber",
  PATCH: "violet",
  DELETE: "red",
};

export function ProviderDetail({ ws, initial, canManage }: { ws: string; initial: ProviderDto; canManage: boolean }) {
  const qc = useQueryClient();
  const provider = useQuery({
    queryKey: providerKeys.one(initial.id),
    queryFn: () => api<ProviderDto>(`/providers/${initial.id}`),
    initialData: initial,
  });
  const p = provider.data;
  const [tab, setTab] = useState<"operations" | "versions">("operations");
  const refresh = () => qc.invalidateQueries({ queryKey: providerKeys.one(p.id) });
  return (
    <div className="space-y-5">
      <Link
        href={`/w/${ws}/providers/api-providers`}
        className="inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-800"
      >
        <ArrowLeft className="size-3.5" aria-hidden /> All API providers
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 max-w-3xl">
          <h2 className="text-lg font-semibold text-slate-900" data-testid="provider-name">
            {p.name}
          </h2>
          <p className="text-sm text-slate-500">
            {[
              p.title !== p.name ? p.title : "",
              p.specVersion === "2.0" ? "Swagger 2.0" : p.specVersion ? `OpenAPI ${p.specVersion}` : "",
              p.versionLabel ? `API version ${p.versionLabel}` : "",
              `version ${p.currentVersionNumber ?? "—"} here`,
            ]
              .filter(Boolean)
              .join(" · ")}
          </p>
          {p.description && <p className="mt-2 line-clamp-3 text-sm whitespace-pre-line text-slate-600">{p.description}</p>}
        </div>
        {canManage && (
          <div className="flex gap-2">
            <ImportDialog
              workspaceId={p.workspaceId}
              provider={{ id: p.id, name: p.name }}
              onImported={() => void refresh()}
              trigger={
                <Button variant="secondary">
                  <RefreshCw className="size-4" aria-hidden /> Import new version
                </Button>
              }
            />
            <EditProvider p={p} onSaved={() => void refresh()} />
            <DeleteProvider p={p} ws={ws} />
          </div>
        )}
      </div>
      <dl className="grid gap-3 text-sm sm:grid-cols-3">
        <div>
          <dt className="flex items-center gap-2 text-xs font-medium text-slate-500">
            Servers {canManage && <ServersDialog p={p} onSaved={() => void refresh()} />}
          </dt>
          <dd className="mt-0.5 space-y-0.5" data-testid="provider-servers">
            {p.servers.length ? (
              p.servers.map((s) => (
                <code key={s.url} className="block font-mono text-xs break-all text-slate-700">
                  {s.url}
                </code>
              ))
            ) : (
              <span className="text-slate-400">None in the document</span>
            )}
          </dd>
        </div>
        <div>
          <dt className="flex items-center gap-2 text-xs font-medium text-slate-500">
            Authentication {canManage && <AuthSchemesDialog p={p} onSaved={() => void refresh()} />}
          </dt>
          <dd className="mt-0.5 flex flex-wrap gap-1" data-testid="provider-auth">
            {p.authSchemes.length ? (
              p.authSchemes.map((a) => (
                <Badge key={a.key} tone="slate">
                  {a.type === "apiKey"
                    ? `API key (${a.in} ${a.name})`
                    : a.type === "http"
                      ? `HTTP ${a.scheme}`
                      : a.type === "oauth2"
                        ? `OAuth 2.0 (${Object.keys(a.flows ?? {}).join(", ")})`
                        : a.type}
                </Badge>
              ))
            ) : (
              <span className="text-slate-400">None in the document</span>
            )}
          </dd>
        </div>
        <div>
          <dt className="text-xs font-medium text-slate-500">Operations</dt>
          <dd className="mt-0.5 text-slate-700">
            {p.operationCount.toLocaleString("en")} ({p.enabledOperationCount.toLocaleString("en")} enabled as tools)
          </dd>
        </div>
      </dl>
      {p.catalog && <CatalogSync p={p} canManage={canManage} onChanged={() => void refresh()} />}
      <div role="tablist" aria-label="Provider" className="flex gap-4 border-b border-slate-200">
        {(["operations", "versions"] as const).map((t) => (
          <button
            key={t}
            role="tab"
            type="button"
            aria-selected={tab === t}
            onClick={() => setTab(t)}
            className={`-mb-px border-b-2 px-1 pb-2 text-sm font-medium ${tab === t ? "border-brand-600 text-brand-700" : "border-transparent text-slate-500 hover:text-slate-800"}`}
          >
            {t === "operations" ? "Operations" : "Versions"}
          </button>
        ))}
      </div>
      {tab === "operations" ? (
        <Operations providerId={p.id} canManage={canManage} onToggled={() => void refresh()} />
      ) : (
        <Versions p={p} canManage={canManage} onRestored={() => void refresh()} />
      )}
    </div>
  );
}

function Operations({ providerId, canManage, onToggled }: { providerId: string; canManage: boolean; onToggled: () => void }) {
  const [q, setQ] = useState("");
  const [tag, setTag] = useState("");
  const [method, setMethod] = useState("");
  const pages = useCursorPages();
  const ops = useQuery({
    queryKey: providerKeys.operations(providerId, { q, tag, method, cursor: pages.cursor }),
    queryFn: () =>
      api<OperationPage>(`/providers/${providerId}/operations`, { query: { q, tag, method, cursor: pages.cursor, limit: 50 } }),
    placeholderData: keepPreviousData,
  });
  const filtered = !!(q || tag || method);
  return (
    <div>
      <div className="mb-3 flex flex-wrap items-end gap-4">
        <SearchInput
          label="Search operations (id, path, summary, tool name)"
          value={q}
          onChange={(v) => {
            setQ(v);
            pages.reset();
          }}
        />
        <div className="w-48">
          <label htmlFor="op-tag" className="mb-1 block text-xs font-medium text-slate-600">
            Tag
          </label>
          <Select id="op-tag" value={tag} onChange={(e) => (setTag(e.target.value), pages.reset())}>
            <option value="">Any tag</option>
            {(ops.data?.tags ?? []).map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </Select>
        </div>
        <div className="w-32">
          <label htmlFor="op-method" className="mb-1 block text-xs font-medium text-slate-600">
            Method
          </label>
          <Select id="op-method" value={method} onChange={(e) => (setMethod(e.target.value), pages.reset())}>
            <option value="">Any</option>
            {HTTP_METHOD_NAMES.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </Select>
        </div>
        {ops.data && (
          <p className="pb-2 text-sm text-slate-500" data-testid="operation-total">
            {ops.data.total.toLocaleString("en")} {filtered ? "matching" : ""} operation{ops.data.total === 1 ? "" : "s"}
          </p>
        )}
      </div>
      <ErrorBanner error={ops.error} className="mb-3" />
      <Table label="Operations">
        <THead>
          <Th>Method</Th>
          <Th>Path</Th>
          <Th>Operation</Th>
          <Th>Tags</Th>
          <Th>Tool</Th>
        </THead>
        <tbody>
          <ListRows
            pending={ops.isPending}
            items={ops.data?.data}
            columns={5}
            empty={
              <EmptyState
                icon={ListTree}
                title={filtered ? "No operation matches" : "This document has no operations"}
                className="border-0"
              />
            }
          >
            {(o) => <OperationRow key={o.id} o={o} providerId={providerId} canManage={canManage} onToggled={onToggled} />}
          </ListRows>
        </tbody>
      </Table>
      <Pagination page={pages.page} hasPrev={pages.page > 1} nextCursor={ops.data?.nextCursor} onPrev={pages.prev} onNext={pages.next} />
    </div>
  );
}

function OperationRow({
  o,
  providerId,
  canManage,
  onToggled,
}: {
  o: OperationDto;
  providerId: string;
  canManage: boolean;
  onToggled: () => void;
}) {
  const qc = useQueryClient();
  const [enabled, setEnabled] = useState(o.enabled);
  const toggle = useMutation({
    mutationFn: (next: boolean) =>
      api<OperationDto>(`/providers/${providerId}/operations/${o.id}`, { method: "PATCH", body: { enabled: next } }),
    onMutate: (next) => setEnabled(next),
    onError: () => setEnabled(o.enabled),
    onSuccess: () => {
      onToggled();
      void qc.invalidateQueries({ queryKey: [...providerKeys.one(providerId), "operations"] });
    },
  });
  return (
    <Tr>
      <Td>
        <Badge tone={METHOD_TONES[o.method] ?? "slate"}>{o.method}</Badge>
      </Td>
      <Td className="max-w-xs font-mono text-xs break-all text-slate-700">{o.path}</Td>
      <Td className="max-w-sm">
        <span className="font-medium text-slate-900">{o.summary || o.operationId}</span>
        {o.summary && <span className="block font-mono text-xs text-slate-500">{o.operationId}</span>}
        {o.deprecated && (
          <Badge tone="amber" className="mt-0.5">
            deprecated
          </Badge>
        )}
      </Td>
      <Td className="text-xs text-slate-600">{o.tags.join(", ")}</Td>
      <Td className="min-w-56">
        <div className="flex items-center gap-2">
          <label className="inline-flex items-center gap-1.5 text-xs text-slate-600">
            <input
              type="checkbox"
              checked={enabled}
              disabled={!canManage || toggle.isPending}
              onChange={(e) => toggle.mutate(e.target.checked)}
              aria-label={`Enable ${o.tool.name} as a tool`}
            />
            {enabled ? "Enabled" : "Off"}
          </label>
        </div>
        <details className="mt-1">
          <summary className="cursor-pointer font-mono text-xs text-brand-700">{o.tool.name}</summary>
          <pre className="mt-1 max-h-64 max-w-md overflow-auto rounded bg-slate-900 p-2 font-mono text-[11px] leading-snug text-slate-100">
            {JSON.stringify(o.tool.inputSchema, null, 2)}
          </pre>
        </details>
        {toggle.error && <p className="text-xs text-red-600">{(toggle.error as Error).message}</p>}
      </Td>
    </Tr>
  );
}

function Versions({ p, canManage, onRestored }: { p: ProviderDto; canManage: boolean; onRestored: () => void }) {
  const versions = useQuery({ queryKey: providerKeys.versions(p.id), queryFn: () => api<Page<VersionDto>>(`/providers/${p.id}/versions`) });
  const list = versions.data?.data ?? [];
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const fromId = from || list[1]?.id || "";
  const toId = to || list[0]?.id || "";
  return (
    <div className="space-y-5">
      <ErrorBanner error={versions.error} />
      <Table label="Versions">
        <THead>
          <Th>Version</Th>
          <Th>API version</Th>
          <Th>Source</Th>
          <Th className="text-right">Operations</Th>
          <Th>By</Th>
          <Th>When</Th>
          <Th>
            <span className="sr-only">Actions</span>
          </Th>
        </THead>
        <tbody>
          <ListRows
            pending={versions.isPending}
            items={list}
            columns={7}
            empty={<EmptyState icon={ListTree} title="No versions" className="border-0" />}
          >
            {(v) => (
              <Tr key={v.id}>
                <Td>
                  v{v.number}
                  {v.current && (
                    <Badge tone="green" className="ml-1.5">
                      current
                    </Badge>
                  )}
                </Td>
                <Td className="text-slate-600">{v.versionLabel || "—"}</Td>
                <Td className="max-w-xs text-xs break-all text-slate-600">
                  {v.sourceKind === "restore"
                    ? `Restored from v${list.find((x) => x.id === v.restoredFromId)?.number ?? "?"}`
                    : v.sourceKind === "catalog"
                      ? `Central repository${p.catalog ? ` (${p.catalog.id})` : ""}`
                      : (v.sourceUrl ?? "Uploaded document")}
                  <span className="block font-mono text-[11px] text-slate-400" title={v.contentHash}>
                    sha256 {v.contentHash.slice(0, 12)}…
                  </span>
                </Td>
                <Td className="text-right tabular-nums">{v.operationCount.toLocaleString("en")}</Td>
                <Td className="text-slate-600">{v.createdBy}</Td>
                <Td className="whitespace-nowrap text-slate-500">
                  <span title={formatDateTime(v.createdAt)}>{formatRelative(v.createdAt)}</span>
                </Td>
                <Td className="text-right">{canManage && !v.current && <RestoreVersion p={p} v={v} onRestored={onRestored} />}</Td>
              </Tr>
            )}
          </ListRows>
        </tbody>
      </Table>
      {list.length > 1 && (
        <section aria-label="Compare versions" className="space-y-3">
          <div className="flex flex-wrap items-end gap-4">
            <VersionSelect id="diff-from" label="From" value={fromId} onChange={setFrom} list={list} />
            <VersionSelect id="diff-to" label="To" value={toId} onChange={setTo} list={list} />
          </div>
          {fromId && toId && fromId !== toId ? (
            <DiffView providerId={p.id} from={fromId} to={toId} />
          ) : (
            <p className="text-sm text-slate-500">Choose two different versions to compare.</p>
          )}
        </section>
      )}
    </div>
  );
}

function VersionSelect({
  id,
  label,
  value,
  onChange,
  list,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  list: VersionDto[];
}) {
  return (
    <div className="w-48">
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-slate-600">
        {label}
      </label>
      <Select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {list.map((v) => (
          <option key={v.id} value={v.id}>
            v{v.number}
            {v.versionLabel ? ` (${v.versionLabel})` : ""}
          </option>
        ))}
      </Select>
    </div>
  );
}

function DiffView({ providerId, from, to }: { providerId: string; from: string; to: string }) {
  const diff = useQuery({
    queryKey: providerKeys.diff(providerId, from, to),
    queryFn: () => api<Diff>(`/providers/${providerId}/diff`, { query: { from, to } }),
  });
  if (diff.error) return <ErrorBanner error={diff.error} />;
  if (!diff.data) return <p className="text-sm text-slate-500">Comparing…</p>;
  return <DiffList diff={diff.data} testId="version-diff" empty="No operation differs between these versions." />;
}

function RestoreVersion({ p, v, onRestored }: { p: ProviderDto; v: VersionDto; onRestored: () => void }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const restore = useMutation({
    mutationFn: () => api<ProviderDto>(`/providers/${p.id}/versions/${v.id}/restore`, { method: "POST" }),
    onSuccess: () => {
      setOpen(false);
      onRestored();
      void qc.invalidateQueries({ queryKey: providerKeys.one(p.id) });
    },
  });
  return (
    <>
      <Button variant="ghost" size="sm" onClick={() => setOpen(true)}>
        Restore
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(o) => {
          setOpen(o);
          if (!o) restore.reset();
        }}
        title={`Restore v${v.number} of ${p.name}?`}
        description={
          <p>
            A new version with v{v.number}&apos;s document becomes current, with its {v.operationCount.toLocaleString("en")} operations. The
            history is kept; operations switched off stay off.
          </p>
        }
        confirmLabel="Restore version"
        pending={restore.isPending}
        onConfirm={() => restore.mutate()}
      >
        <ErrorBanner error={restore.error} className="mt-4" />
      </ConfirmDialog>
    </>
  );
}

function DeleteProvider({ p, ws }: { p: ProviderDto; ws: string }) {
  const qc = useQueryClient();
  const router = useRouter();
  return (
    <DeleteAction
      title={`Delete ${p.name}?`}
      description={
        <p>The provider, its {p.operationCount.toLocaleString("en")} operations and every version are deleted. This cannot be undone.</p>
      }
      confirmLabel="Delete provider"
      request={() => api<void>(`/providers/${p.id}`, { method: "DELETE" })}
      onDeleted={() => {
        void qc.invalidateQueries({ queryKey: providerKeys.all(p.workspaceId) });
        router.push(`/w/${ws}/providers/api-providers`);
      }}
    />
  );
}

/** Name, title, description and the global id (which cannot change once set); the document's fields come back on the next import. */
function EditProvider({ p, onSaved }: { p: ProviderDto; onSaved: () => void }) {
  const text = (f: FormData, k: string) => String(f.get(k) ?? "");
  return (
    <FormDialog
      schema={updateProviderSchema}
      toInput={(f) => ({
        name: text(f, "name"),
        title: text(f, "title"),
        description: text(f, "description"),
        ...(p.globalId || !text(f, "globalId").trim() ? {} : { globalId: text(f, "globalId") }),
      })}
      mutationFn={(input) => api<ProviderDto>(`/providers/${p.id}`, { method: "PATCH", body: input })}
      onSuccess={onSaved}
      title={`Edit ${p.name}`}
      description="Title and description are taken from the document again on the next import."
      trigger={<Button variant="secondary">Edit</Button>}
      submitLabel="Save"
    >
      {(errors) => (
        <div className="space-y-4">
          <Field label="Name" htmlFor="edit-provider-name" error={errors.name}>
            <Input id="edit-provider-name" name="name" defaultValue={p.name} maxLength={80} invalid={!!errors.name} />
          </Field>
          <Field label="Title" htmlFor="edit-provider-title" error={errors.title}>
            <Input id="edit-provider-title" name="title" defaultValue={p.title} maxLength={200} invalid={!!errors.title} />
          </Field>
          <Field label="Description" htmlFor="edit-provider-description" error={errors.description}>
            <Textarea
              id="edit-provider-description"
              name="description"
              defaultValue={p.description}
              rows={4}
              invalid={!!errors.description}
            />
          </Field>
          <Field
            label="Global id"
            htmlFor="edit-provider-global-id"
            error={errors.globalId}
            hint={p.globalId ? "Fixed once set." : "e.g. github or hubspot.crm; it cannot be changed once saved."}
          >
            <Input
              id="edit-provider-global-id"
              name="globalId"
              defaultValue={p.globalId ?? ""}
              readOnly={!!p.globalId}
              maxLength={64}
              invalid={!!errors.globalId}
            />
          </Field>
        </div>
      )}
    </FormDialog>
  );
}
