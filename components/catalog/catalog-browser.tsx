"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Cable, Check, ExternalLink, Library, Plus } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { CATALOG_CATEGORIES, CATEGORY_LABELS, type CatalogCategory, type CatalogProviderDto } from "@/lib/schemas/catalog-providers";
import { createFromCatalogSchema, type ProviderDto } from "@/lib/schemas/providers";
import { api, type Page } from "@/components/api/client";
import { providerKeys } from "@/components/api-providers/keys";
import { FormDialog } from "@/components/forms/form-dialog";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input, Select } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination, useCursorPages } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { Skeleton } from "@/components/ui/skeleton";
import { ConnectorDialog } from "@/components/connectors/connector-form";
import { connectorKeys } from "@/components/connectors/keys";
import { catalogKeys } from "./keys";

type Added = Record<string, { id: string; name: string }[]>;

const AUTH_LABELS: Record<CatalogProviderDto["auth"]["type"], string> = {
  oauth2: "OAuth 2.0",
  apiKey: "API key",
  bearer: "Bearer token",
  basic: "HTTP basic",
  none: "No auth",
};

/** The central repository: search, filter by category, and add an entry to this workspace in one step. */
export function CatalogBrowser({
  workspaceId,
  ws,
  canAdd,
  canMarkInternal,
  redirectUri,
  initialAdded,
}: {
  workspaceId: string;
  ws: string;
  canAdd: boolean;
  canMarkInternal: boolean;
  /** `{SWITCHBOARD_PUBLIC_URL}/api/oauth/callback`, for the New connector dialog's OAuth modes. */
  redirectUri: string;
  initialAdded: Added;
}) {
  const [q, setQ] = useState("");
  const [category, setCategory] = useState<CatalogCategory | "">("");
  const [added, setAdded] = useState(initialAdded);
  const pages = useCursorPages();
  const list = useQuery({
    queryKey: catalogKeys.list({ q, category, cursor: pages.cursor }),
    queryFn: () => api<Page<CatalogProviderDto>>("/catalog/providers", { query: { q, category, cursor: pages.cursor, limit: 48 } }),
    placeholderData: keepPreviousData,
  });
  const filtered = !!(q || category);
  return (
    <>
      <PageHeader
        title="Central repository"
        description="Ready-made API providers shared by every workspace, each with its vendor's published OpenAPI description. Add one to this workspace in one step; it tells you when its entry has a newer version."
      />
      <div className="mb-4 flex flex-wrap items-end gap-4">
        <SearchInput
          label="Search by name, description or auth"
          value={q}
          onChange={(v) => {
            setQ(v);
            pages.reset();
          }}
        />
        <div className="w-56">
          <label htmlFor="catalog-category" className="mb-1 block text-xs font-medium text-slate-600">
            Category
          </label>
          <Select
            id="catalog-category"
            value={category}
            onChange={(e) => {
              setCategory(e.target.value as CatalogCategory | "");
              pages.reset();
            }}
          >
            <option value="">All categories</option>
            {CATALOG_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {CATEGORY_LABELS[c]}
              </option>
            ))}
          </Select>
        </div>
      </div>
      <ErrorBanner error={list.error} className="mb-3" />
      {list.isPending ? (
        <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
          {Array.from({ length: 6 }, (_, i) => (
            <Skeleton key={i} className="h-40" />
          ))}
        </div>
      ) : list.data?.data.length ? (
        <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3" aria-label="Catalog entries">
          {list.data.data.map((e) => (
            <CatalogCard
              key={e.id}
              e={e}
              ws={ws}
              workspaceId={workspaceId}
              canAdd={canAdd}
              canMarkInternal={canMarkInternal}
              redirectUri={redirectUri}
              added={added[e.id] ?? []}
              onAdded={(p) => setAdded((a) => ({ ...a, [e.id]: [...(a[e.id] ?? []), { id: p.id, name: p.name }] }))}
            />
          ))}
        </ul>
      ) : (
        <EmptyState icon={Library} title={filtered ? "No entry matches" : "The central repository is empty"}>
          {filtered && <p>Try another search or category.</p>}
        </EmptyState>
      )}
      <Pagination page={pages.page} hasPrev={pages.page > 1} nextCursor={list.data?.nextCursor} onPrev={pages.prev} onNext={pages.next} />
    </>
  );
}

function CatalogIcon({ e }: { e: CatalogProviderDto }) {
  return (
    <span
      aria-hidden
      className="flex size-10 shrink-0 items-center justify-center rounded-lg text-sm font-semibold text-white ring-1 ring-black/5"
      style={{ backgroundColor: e.icon.color, color: readableOn(e.icon.color) }}
    >
      {e.icon.initials}
    </span>
  );
}

/** Black or white, whichever reads better on a brand colour. */
function readableOn(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return 0.299 * r + 0.587 * g + 0.114 * b > 160 ? "#111827" : "#ffffff";
}

function CatalogCard({
  e,
  ws,
  workspaceId,
  canAdd,
  canMarkInternal,
  redirectUri,
  added,
  onAdded,
}: {
  e: CatalogProviderDto;
  ws: string;
  workspaceId: string;
  canAdd: boolean;
  canMarkInternal: boolean;
  /** `{SWITCHBOARD_PUBLIC_URL}/api/oauth/callback`, for the New connector dialog's OAuth modes. */
  redirectUri: string;
  added: { id: string; name: string }[];
  onAdded: (p: ProviderDto) => void;
}) {
  const [addedHere, setAddedHere] = useState(false);
  const router = useRouter();
  const qc = useQueryClient();
  return (
    <li className="flex flex-col gap-3 rounded-lg bg-white p-4 ring-1 ring-slate-200" data-testid={`catalog-entry-${e.id}`}>
      <div className="flex items-start gap-3">
        <CatalogIcon e={e} />
        <div className="min-w-0">
          <h3 className="font-semibold text-slate-900">{e.title}</h3>
          <p className="text-xs text-slate-500">
            {CATEGORY_LABELS[e.category]} · <span className="font-mono">{e.id}</span>
            {e.source === "remote" && (
              <Badge tone="violet" className="ml-1.5">
                remote
              </Badge>
            )}
          </p>
        </div>
      </div>
      <p className="line-clamp-2 text-sm text-slate-600">{e.description}</p>
      <dl className="grid grid-cols-2 gap-2 text-xs">
        <div>
          <dt className="text-slate-500">Auth</dt>
          <dd className="text-slate-800" title={e.auth.summary}>
            {AUTH_LABELS[e.auth.type]}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Operations</dt>
          <dd className="text-slate-800 tabular-nums">{e.operationCount?.toLocaleString("en") ?? "—"}</dd>
        </div>
      </dl>
      <div className="mt-auto flex flex-wrap items-center justify-between gap-2">
        {e.docsUrl ? (
          <a
            href={e.docsUrl}
            target="_blank"
            rel="noreferrer"
            className="inline-flex items-center gap-1 text-xs text-brand-700 hover:underline"
          >
            API docs <ExternalLink className="size-3" aria-hidden />
          </a>
        ) : (
          <span />
        )}
        {added.length ? (
          <span className="inline-flex items-center gap-1 text-sm text-green-700">
            <Check className="size-4" aria-hidden /> Already added as{" "}
            {added.map((a, i) => (
              <span key={a.id}>
                {i > 0 && ", "}
                <Link href={`/w/${ws}/providers/api-providers/${a.id}`} className="font-medium hover:underline">
                  {a.name}
                </Link>
              </span>
            ))}
          </span>
        ) : null}
        {canAdd && added.length > 0 && (
          <ConnectorDialog
            workspaceId={workspaceId}
            initialProviderId={added[0].id}
            canMarkInternal={canMarkInternal}
            redirectUri={redirectUri}
            onSaved={(c) => {
              void qc.invalidateQueries({ queryKey: connectorKeys.all(workspaceId) });
              router.push(`/w/${ws}/providers/connectors/${c.id}`);
            }}
            trigger={
              <Button size="sm" variant="secondary">
                <Cable className="size-4" aria-hidden /> Create connector
              </Button>
            }
          />
        )}
        {/* Kept mounted after it adds (with its button hidden), so its dialog can show the link to the new provider. */}
        {canAdd && (!added.length || addedHere) && (
          <AddToWorkspace
            e={e}
            ws={ws}
            workspaceId={workspaceId}
            hideTrigger={added.length > 0}
            onAdded={(p) => {
              setAddedHere(true);
              onAdded(p);
            }}
          />
        )}
      </div>
    </li>
  );
}

function AddToWorkspace({
  e,
  ws,
  workspaceId,
  hideTrigger,
  onAdded,
}: {
  e: CatalogProviderDto;
  ws: string;
  workspaceId: string;
  hideTrigger: boolean;
  onAdded: (p: ProviderDto) => void;
}) {
  const qc = useQueryClient();
  return (
    <FormDialog
      schema={createFromCatalogSchema}
      toInput={(f) => ({ name: String(f.get("name") ?? ""), catalogId: e.id })}
      mutationFn={(input) => api<ProviderDto>("/providers", { method: "POST", query: { workspaceId }, body: input })}
      onSuccess={(p) => {
        void qc.invalidateQueries({ queryKey: providerKeys.all(workspaceId) });
        onAdded(p);
      }}
      title={`Add ${e.title} to this workspace`}
      description={`Reads and validates its document (${e.operationCount?.toLocaleString("en") ?? "?"} operations); large APIs take a few seconds.`}
      trigger={
        <Button size="sm" className={hideTrigger ? "hidden" : undefined}>
          <Plus className="size-4" aria-hidden /> Add to workspace
        </Button>
      }
      submitLabel="Add provider"
      result={{
        heading: { title: `${e.title} added` },
        render: (p) => (
          <p className="text-sm text-slate-600" role="status">
            <strong>{p.name}</strong> is in this workspace with {p.operationCount.toLocaleString("en")} operations.{" "}
            <Link href={`/w/${ws}/providers/api-providers/${p.id}`} className="font-medium text-brand-700 hover:underline">
              Open {p.name}
            </Link>
          </p>
        ),
      }}
    >
      {(errors) => (
        <Field label="Name" htmlFor={`catalog-name-${e.id}`} error={errors.name} hint="How this workspace calls the provider; unique here.">
          <Input id={`catalog-name-${e.id}`} name="name" defaultValue={e.title} maxLength={80} invalid={!!errors.name} />
        </Field>
      )}
    </FormDialog>
  );
}
