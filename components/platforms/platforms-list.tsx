"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Cloud, Plus } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { createPlatformSchema, PLATFORM_STATUSES, type PlatformDto } from "@/lib/schemas/platforms";
import { VENDOR_IDS, vendorLabel, VENDORS } from "@/lib/platforms/vendors";
import { api, type Page } from "@/components/api/client";
import { FormDialog } from "@/components/forms/form-dialog";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input } from "@/components/ui/field";
import { Select } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination, useCursorPages } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { ListRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { platformKeys } from "./keys";
import { fieldError, PlatformFields, platformFieldsInput } from "./platform-fields";

export function PlatformsList({ ws, canManage }: { ws: string; canManage: boolean }) {
  const [q, setQ] = useState("");
  const [vendor, setVendor] = useState("");
  const [status, setStatus] = useState("");
  const pages = useCursorPages();
  const filters = { q, vendor, status, cursor: pages.cursor };
  const list = useQuery({
    queryKey: platformKeys.list(filters),
    queryFn: () =>
      api<Page<PlatformDto>>("/platforms", { query: { ...filters, vendor: vendor || undefined, status: status || undefined, limit: 25 } }),
    placeholderData: keepPreviousData,
  });
  const filtered = !!(q || vendor || status);
  return (
    <>
      <PageHeader
        title="Platforms"
        description="SaaS LLM vendors and OpenAI-compatible services your models route to, each with several weighted API keys. Platforms are shared by every workspace."
        actions={canManage && <AddPlatformDialog ws={ws} />}
      />
      <div className="mb-3 flex flex-wrap items-end gap-4">
        <SearchInput
          label="Search platforms"
          value={q}
          onChange={(v) => {
            setQ(v);
            pages.reset();
          }}
        />
        <FilterSelect id="platform-vendor-filter" label="Vendor" value={vendor} onChange={(v) => (setVendor(v), pages.reset())}>
          <option value="">All vendors</option>
          {VENDOR_IDS.map((v) => (
            <option key={v} value={v}>
              {VENDORS[v].label}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect id="platform-status-filter" label="Status" value={status} onChange={(v) => (setStatus(v), pages.reset())}>
          <option value="">Any status</option>
          {PLATFORM_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s === "active" ? "Active" : "Disabled"}
            </option>
          ))}
        </FilterSelect>
      </div>
      <ErrorBanner error={list.error} className="mb-3" />
      <Table label="Platforms">
        <THead>
          <Th>Name</Th>
          <Th>Vendor</Th>
          <Th>Base URL</Th>
          <Th>Keys</Th>
          <Th>Routed models</Th>
          <Th>Status</Th>
        </THead>
        <tbody>
          <ListRows
            pending={list.isPending}
            items={list.data?.data}
            columns={6}
            empty={
              <EmptyState icon={Cloud} title={filtered ? "No platform matches" : "No platforms yet"} className="border-0">
                {!filtered && (
                  <p>
                    Add OpenAI, Anthropic, Google, Azure OpenAI, Aliyun, Tencent, Volcengine Ark or any OpenAI-compatible service with its
                    API keys; models then route to it.{canManage ? "" : " Only instance admins can add platforms."}
                  </p>
                )}
              </EmptyState>
            }
          >
            {(p) => (
              <Tr key={p.id}>
                <Td>
                  <Link href={`/w/${ws}/platforms/${p.id}`} className="font-medium text-brand-700 hover:underline">
                    {p.name}
                  </Link>
                  {p.notes && <div className="max-w-xs truncate text-xs text-slate-500">{p.notes}</div>}
                </Td>
                <Td>
                  <Badge tone="slate">{vendorLabel(p.vendor)}</Badge>
                  {p.internal && (
                    <Badge tone="violet" className="ml-1">
                      internal
                    </Badge>
                  )}
                </Td>
                <Td>
                  <code className="font-mono text-xs text-slate-600">{p.baseUrl}</code>
                </Td>
                <Td className="whitespace-nowrap tabular-nums">
                  {p.enabledKeyCount} of {p.keyCount} enabled
                </Td>
                <Td className="text-xs text-slate-600">
                  {p.routedModels.length ? p.routedModels.join(", ") : <span className="text-slate-400">None</span>}
                </Td>
                <Td>{p.status === "active" ? <Badge tone="green">Active</Badge> : <Badge tone="amber">Disabled</Badge>}</Td>
              </Tr>
            )}
          </ListRows>
        </tbody>
      </Table>
      <Pagination page={pages.page} hasPrev={pages.page > 1} nextCursor={list.data?.nextCursor} onPrev={pages.prev} onNext={pages.next} />
    </>
  );
}

function FilterSelect({
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
    <div className="w-52">
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-slate-600">
        {label}
      </label>
      <Select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </Select>
    </div>
  );
}

function AddPlatformDialog({ ws }: { ws: string }) {
  const qc = useQueryClient();
  const router = useRouter();
  return (
    <FormDialog
      schema={createPlatformSchema}
      toInput={(f) => {
        const value = String(f.get("keyValue") ?? "");
        return {
          ...platformFieldsInput(f),
          keys: value ? [{ value, description: String(f.get("keyDescription") ?? "").trim() }] : [],
        };
      }}
      mutationFn={(input) => api<PlatformDto>("/platforms", { method: "POST", body: input })}
      onSuccess={(p) => {
        qc.invalidateQueries({ queryKey: platformKeys.lists() });
        router.push(`/w/${ws}/platforms/${p.id}`);
      }}
      title="Add platform"
      description="An LLM vendor account or an OpenAI-compatible service. You can add more keys, and test them, on the platform's page."
      trigger={
        <Button>
          <Plus className="size-4" aria-hidden /> Add platform
        </Button>
      }
      submitLabel="Add platform"
      autoComplete="off"
    >
      {(errors) => (
        <div className="max-h-[65vh] space-y-4 overflow-y-auto px-0.5">
          <PlatformFields idPrefix="new-platform" errors={errors} />
          <fieldset className="space-y-3 rounded-md p-3 ring-1 ring-slate-200">
            <legend className="px-1 text-xs font-medium text-slate-500">First API key (optional)</legend>
            <Field label="API key" htmlFor="new-platform-key" error={fieldError(errors, "keys[0].value")}>
              <Input
                id="new-platform-key"
                name="keyValue"
                type="password"
                autoComplete="new-password"
                spellCheck={false}
                invalid={!!fieldError(errors, "keys[0].value")}
              />
            </Field>
            <Field label="Key description" htmlFor="new-platform-key-description" error={fieldError(errors, "keys[0].description")}>
              <Input id="new-platform-key-description" name="keyDescription" defaultValue="primary" />
            </Field>
          </fieldset>
        </div>
      )}
    </FormDialog>
  );
}
