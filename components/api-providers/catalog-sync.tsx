"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Library } from "lucide-react";
import { useState } from "react";
import type { ProviderDto } from "@/lib/schemas/providers";
import { api } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DiffList, type Diff } from "./diff-list";
import { providerKeys } from "./keys";

type CatalogUpdate = Diff & { catalogId: string; syncedVersion: string | null; latestVersion: string; updateAvailable: boolean };

/** For a provider synced from the central repository: where it came from, "update available" with the diff, and following updates. */
export function CatalogSync({ p, canManage, onChanged }: { p: ProviderDto; canManage: boolean; onChanged: () => void }) {
  const qc = useQueryClient();
  const [showDiff, setShowDiff] = useState(false);
  const c = p.catalog!;
  const update = useQuery({
    queryKey: providerKeys.catalogUpdate(p.id, c.latestVersion ?? ""),
    queryFn: () => api<CatalogUpdate>(`/providers/${p.id}/catalog-update`),
    enabled: showDiff && c.updateAvailable,
  });
  const sync = useMutation({
    mutationFn: () => api<ProviderDto>(`/providers/${p.id}/sync`, { method: "POST" }),
    onSuccess: () => {
      setShowDiff(false);
      onChanged();
      void qc.invalidateQueries({ queryKey: providerKeys.one(p.id) });
    },
  });
  const follow = useMutation({
    mutationFn: (next: boolean) => api<ProviderDto>(`/providers/${p.id}`, { method: "PATCH", body: { followUpdates: next } }),
    onSuccess: () => onChanged(),
  });
  const following = follow.isPending ? follow.variables : p.followUpdates;
  return (
    <section aria-label="Central repository" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600">
        <p className="inline-flex items-center gap-1.5">
          <Library className="size-4 text-slate-400" aria-hidden />
          Synced from the central repository entry <code className="font-mono text-xs">{c.id}</code>
          {c.syncedVersion && (
            <span className="font-mono text-xs text-slate-500" data-testid="catalog-synced-version">
              {c.syncedVersion}
            </span>
          )}
        </p>
        <label className="inline-flex items-center gap-2 text-sm text-slate-700">
          <button
            type="button"
            role="switch"
            aria-checked={following}
            aria-label="Follow updates automatically"
            disabled={!canManage || follow.isPending}
            onClick={() => follow.mutate(!following)}
            className={`relative inline-flex h-5 w-9 shrink-0 items-center rounded-full transition disabled:opacity-50 ${following ? "bg-brand-600" : "bg-slate-300"}`}
          >
            <span
              className={`inline-block size-4 rounded-full bg-white shadow transition ${following ? "translate-x-4.5" : "translate-x-0.5"}`}
            />
          </button>
          Follow updates automatically
        </label>
      </div>
      <ErrorBanner error={follow.error} />
      {c.updateAvailable && (
        <div role="status" className="space-y-3 rounded-md bg-amber-50 p-3 ring-1 ring-amber-200" data-testid="catalog-update">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p className="text-sm text-amber-900">
              <strong>Update available.</strong> The central repository has a newer version of {c.id}:{" "}
              <span className="font-mono text-xs">{c.latestVersion}</span>
            </p>
            <div className="flex gap-2">
              <Button variant="secondary" size="sm" onClick={() => setShowDiff((v) => !v)} aria-expanded={showDiff}>
                {showDiff ? "Hide changes" : "Show changes"}
              </Button>
              {canManage && (
                <Button size="sm" pending={sync.isPending} onClick={() => sync.mutate()}>
                  Apply update
                </Button>
              )}
            </div>
          </div>
          <ErrorBanner error={sync.error ?? update.error} />
          {showDiff &&
            (update.data ? (
              <DiffList
                diff={update.data}
                testId="catalog-diff"
                empty="No operation differs; the document changed elsewhere (descriptions, servers)."
              />
            ) : (
              !update.error && <p className="text-sm text-slate-500">Comparing…</p>
            ))}
        </div>
      )}
    </section>
  );
}
