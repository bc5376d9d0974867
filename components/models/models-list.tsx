"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Brain } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { FEATURE_LABELS, MODEL_FEATURES, type ModelSort } from "@/lib/schemas/models";
import type { ModelDto } from "@/lib/models/model-dto";
import { api, type Page } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Select } from "@/components/ui/field";
import { SectionHeader } from "@/components/ui/page-header";
import { Pagination, useCursorPages } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { ListRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { AddModelDialog } from "./add-model-dialog";
import { formatPrice, formatTokens } from "./format";
import { modelKeys } from "./keys";

const SORT_LABELS: Record<ModelSort, string> = {
  name: "Name",
  "input-asc": "Input price, lowest first",
  "input-desc": "Input price, highest first",
  "output-asc": "Output price, lowest first",
  "output-desc": "Output price, highest first",
};

function Filter({
  id,
  label,
  value,
  onChange,
  children,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  children: React.ReactNode;
}) {
  return (
    <div className="w-48">
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-slate-600">
        {label}
      </label>
      <Select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </Select>
    </div>
  );
}

export function ModelsList({ workspaceSlug, canManage }: { workspaceSlug: string; canManage: boolean }) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const [q, setQ] = useState("");
  const [provider, setProvider] = useState("");
  const [status, setStatus] = useState("");
  const [feature, setFeature] = useState("");
  const [sort, setSort] = useState<ModelSort>("name");
  const pages = useCursorPages();
  const filters = { q, provider, status, feature, sort, cursor: pages.cursor };
  const list = useQuery({
    queryKey: modelKeys.list(filters),
    queryFn: () =>
      api<Page<ModelDto>>("/models", {
        query: { ...filters, provider: provider || undefined, status: status || undefined, feature: feature || undefined, limit: 25 },
      }),
    placeholderData: keepPreviousData,
  });
  const providers = useQuery({ queryKey: modelKeys.providers(), queryFn: () => api<Page<string>>("/models/providers") });
  const set = (fn: (v: string) => void) => (v: string) => {
    fn(v);
    pages.reset();
  };
  const register = params.get("register") ?? undefined;
  const filtered = !!(q || provider || status || feature);

  return (
    <section aria-label="LLM models">
      <SectionHeader
        title="LLM Models"
        description="Logical model names your agents ask for, their price per million tokens, and the platforms and deployments that serve them in failover order. Shared by every workspace."
        actions={
          canManage && (
            <AddModelDialog
              register={register}
              platformId={params.get("platform") ?? undefined}
              onClosed={() => register && router.replace(pathname)}
            />
          )
        }
      />
      <div className="mb-3 flex flex-wrap items-end gap-4">
        <SearchInput label="Search models" value={q} onChange={set(setQ)} />
        <Filter id="model-provider" label="Provider" value={provider} onChange={set(setProvider)}>
          <option value="">All providers</option>
          {providers.data?.data.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </Filter>
        <Filter id="model-status" label="Status" value={status} onChange={set(setStatus)}>
          <option value="">Any status</option>
          <option value="active">Active</option>
          <option value="inactive">Inactive</option>
        </Filter>
        <Filter id="model-feature" label="Feature" value={feature} onChange={set(setFeature)}>
          <option value="">Any feature</option>
          {MODEL_FEATURES.map((f) => (
            <option key={f} value={f}>
              {FEATURE_LABELS[f]}
            </option>
          ))}
        </Filter>
        <Filter id="model-sort" label="Sort by" value={sort} onChange={set((v) => setSort(v as ModelSort))}>
          {Object.entries(SORT_LABELS).map(([k, l]) => (
            <option key={k} value={k}>
              {l}
            </option>
          ))}
        </Filter>
      </div>
      <ErrorBanner error={list.error} className="mb-3" />
      <Table label="Models">
        <THead>
          <Th>Name</Th>
          <Th>Status</Th>
          <Th>Features</Th>
          <Th>Modalities</Th>
          <Th className="text-right">Context</Th>
          <Th className="text-right">Max output</Th>
          <Th className="text-right">Input / 1M</Th>
          <Th className="text-right">Output / 1M</Th>
          <Th className="text-right">Cached / 1M</Th>
          <Th className="text-right">Routes</Th>
        </THead>
        <tbody>
          <ListRows
            pending={list.isPending}
            items={list.data?.data}
            columns={10}
            empty={
              <EmptyState icon={Brain} title={filtered ? "No model matches" : "No LLM models yet"} className="border-0">
                {!filtered && (
                  <p>
                    {canManage
                      ? "Add a model from the price catalog (OpenAI, Anthropic, Google, Qwen, DeepSeek, Mistral, Llama) or from scratch, then route it to your platforms and deployments."
                      : "An instance admin adds models; you will see their prices and routes here."}
                  </p>
                )}
              </EmptyState>
            }
          >
            {(m) => (
              <Tr key={m.id}>
                <Td>
                  <Link
                    href={`/w/${workspaceSlug}/providers/models/${m.id}`}
                    className="font-medium whitespace-nowrap text-slate-900 hover:text-brand-700 hover:underline"
                  >
                    {m.name}
                  </Link>
                  <div className="text-xs text-slate-500">{m.provider || "—"}</div>
                </Td>
                <Td>{m.status === "active" ? <Badge tone="green">Active</Badge> : <Badge tone="slate">Inactive</Badge>}</Td>
                <Td>
                  <div className="flex max-w-xs flex-wrap gap-1">
                    {m.features.map((f) => (
                      <Badge key={f} tone="brand">
                        {FEATURE_LABELS[f]}
                      </Badge>
                    ))}
                  </div>
                </Td>
                <Td className="text-slate-600">{m.modalities.join(", ")}</Td>
                <Td className="text-right tabular-nums">
                  <span title={m.contextWindow?.toLocaleString("en")}>{formatTokens(m.contextWindow)}</span>
                </Td>
                <Td className="text-right tabular-nums">
                  <span title={m.maxOutputTokens?.toLocaleString("en")}>{formatTokens(m.maxOutputTokens)}</span>
                </Td>
                <Td className="text-right tabular-nums">{formatPrice(m.currentPrice?.inputPerMillion)}</Td>
                <Td className="text-right tabular-nums">{formatPrice(m.currentPrice?.outputPerMillion)}</Td>
                <Td className="text-right tabular-nums">{formatPrice(m.currentPrice?.cachedInputPerMillion)}</Td>
                <Td className="text-right tabular-nums">{m.routeCount || <span className="text-amber-700">none</span>}</Td>
              </Tr>
            )}
          </ListRows>
        </tbody>
      </Table>
      <Pagination page={pages.page} hasPrev={pages.page > 1} nextCursor={list.data?.nextCursor} onPrev={pages.prev} onNext={pages.next} />
    </section>
  );
}
