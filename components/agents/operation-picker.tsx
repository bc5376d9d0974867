"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { OperationDto } from "@/lib/schemas/providers";
import { api, type Page } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { SearchInput } from "@/components/ui/search-input";
import { useState } from "react";
import { agentKeys } from "./keys";

/** Checkboxes over a provider's enabled operations, searchable; the picked ids live with the caller. */
export function OperationPicker({
  providerId,
  picked,
  onChange,
  error,
}: {
  providerId: string;
  picked: string[];
  onChange: (ids: string[]) => void;
  error?: string;
}) {
  const [q, setQ] = useState("");
  const ops = useQuery({
    queryKey: agentKeys.operations(providerId, q),
    queryFn: () =>
      api<Page<OperationDto> & { total: number }>(`/providers/${providerId}/operations`, { query: { q, enabled: "true", limit: 100 } }),
    placeholderData: keepPreviousData,
  });
  const toggle = (id: string, on: boolean) => onChange(on ? [...picked, id] : picked.filter((p) => p !== id));
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-700">Operations</legend>
      <SearchInput label="Search operations" value={q} onChange={setQ} />
      <ErrorBanner error={ops.error} />
      <div className="max-h-64 space-y-1 overflow-y-auto rounded-md border border-slate-200 p-2" role="group" aria-label="Operations">
        {ops.data?.data.length === 0 && <p className="px-1 py-2 text-sm text-slate-500">No enabled operation matches.</p>}
        {ops.data?.data.map((o) => (
          <label key={o.id} className="flex cursor-pointer items-start gap-2 rounded px-1 py-1 text-sm hover:bg-slate-50">
            <input
              type="checkbox"
              className="mt-0.5"
              checked={picked.includes(o.operationId)}
              onChange={(e) => toggle(o.operationId, e.target.checked)}
            />
            <span className="min-w-0">
              <span className="font-mono text-xs text-slate-800">{o.operationId}</span> <Badge tone="slate">{o.method}</Badge>{" "}
              <span className="font-mono text-xs text-slate-500">{o.path}</span>
              {o.summary && <span className="block text-xs text-slate-500">{o.summary}</span>}
            </span>
          </label>
        ))}
      </div>
      <p className="text-xs text-slate-500">
        {picked.length} picked
        {ops.data && ops.data.total > ops.data.data.length
          ? ` · showing ${ops.data.data.length} of ${ops.data.total}: search to narrow`
          : ""}
      </p>
      {error && (
        <p role="alert" className="text-xs text-red-600">
          {error}
        </p>
      )}
    </fieldset>
  );
}
