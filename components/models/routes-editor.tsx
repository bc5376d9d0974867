"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ArrowRight, Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { setRoutesSchema } from "@/lib/schemas/models";
import { orderRoutes } from "@/lib/models/route-order";
import type { ModelDetailDto, RouteDto } from "@/lib/models/model-dto";
import { formatPath } from "@/lib/schemas/zod";
import { api, ApiError } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/field";
import { SectionHeader } from "@/components/ui/page-header";
import { useRouteTargets } from "./add-model-dialog";
import { modelKeys } from "./keys";

interface Draft {
  key: number;
  target: string;
  upstreamModel: string;
  priority: string;
  weight: string;
  enabled: boolean;
  /** Milliseconds as typed; empty uses the gateway default. */
  connectMs: string;
  firstTokenMs: string;
  totalMs: string;
}

const TIMEOUT_FIELDS = [
  { field: "connectMs", label: "Connect timeout (ms)", placeholder: "10000" },
  { field: "firstTokenMs", label: "First-token timeout (ms)", placeholder: "60000" },
  { field: "totalMs", label: "Total timeout (ms)", placeholder: "600000" },
] as const;

const ms = (v: string) => (v.trim() === "" ? null : Number(v.trim().replaceAll(",", "")));

const toDraft = (r: RouteDto, key: number): Draft => ({
  key,
  target: r.platformId ? `platform:${r.platformId}` : `deployment:${r.deploymentId}`,
  upstreamModel: r.upstreamModel,
  priority: String(r.priority),
  weight: String(r.weight),
  enabled: r.enabled,
  connectMs: r.timeouts.connectMs === null ? "" : String(r.timeouts.connectMs),
  firstTokenMs: r.timeouts.firstTokenMs === null ? "" : String(r.timeouts.firstTokenMs),
  totalMs: r.timeouts.totalMs === null ? "" : String(r.timeouts.totalMs),
});

const toInput = (d: Draft[]) => ({
  routes: d.map((r) => {
    const [type, id] = r.target.split(":");
    return {
      ...(type === "platform" ? { platformId: id } : type === "deployment" ? { deploymentId: id } : {}),
      upstreamModel: r.upstreamModel.trim(),
      priority: Number(r.priority),
      weight: Number(r.weight),
      enabled: r.enabled,
      timeouts:
        r.connectMs.trim() || r.firstTokenMs.trim() || r.totalMs.trim()
          ? { connectMs: ms(r.connectMs), firstTokenMs: ms(r.firstTokenMs), totalMs: ms(r.totalMs) }
          : null,
    };
  }),
});

/** "1 · OpenAI US-West · gpt-4-turbo → 2 · Azure OpenAI East · deployment gpt-4-turbo → 3 · cluster (self-hosted)". */
export function FailoverChain({ routes }: { routes: RouteDto[] }) {
  if (!routes.length)
    return <p className="text-sm text-amber-800">No routes: calls to this model fail until a platform or deployment serves it.</p>;
  return (
    <ol aria-label="Failover chain" className="flex flex-wrap items-center gap-x-2 gap-y-2 text-sm">
      {routes.map((r, i) => (
        <li key={r.id} className="flex items-center gap-2">
          {i > 0 && <ArrowRight className="size-4 text-slate-400" aria-label="then" />}
          <span
            className={
              r.enabled && r.targetActive
                ? "rounded-md bg-white px-2.5 py-1 ring-1 ring-slate-200"
                : "rounded-md bg-slate-50 px-2.5 py-1 text-slate-400 line-through ring-1 ring-slate-200"
            }
          >
            <span className="font-semibold">{r.position}</span> · {r.targetName}
            {r.targetType === "deployment" ? " (self-hosted)" : ""} ·{" "}
            <span className="font-mono text-xs">
              {r.targetKind === "azure" ? `deployment ${r.effectiveUpstreamModel}` : r.effectiveUpstreamModel}
            </span>
            {r.weight !== 1 && <span className="text-xs text-slate-500"> · weight {r.weight}</span>}
            {(r.timeouts.connectMs ?? r.timeouts.firstTokenMs ?? r.timeouts.totalMs) !== null && (
              <span className="text-xs text-slate-500" title="Connect / first token / total, in ms (— is the default)">
                {" "}
                · timeouts{" "}
                {[r.timeouts.connectMs, r.timeouts.firstTokenMs, r.timeouts.totalMs]
                  .map((t) => (t === null ? "—" : t.toLocaleString("en")))
                  .join(" / ")}{" "}
                ms
              </span>
            )}
          </span>
        </li>
      ))}
    </ol>
  );
}

export function RoutesSection({ model, canManage }: { model: ModelDetailDto; canManage: boolean }) {
  const qc = useQueryClient();
  const targets = useRouteTargets();
  const [draft, setDraft] = useState<Draft[] | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: (input: unknown) => api(`/models/${model.id}/routes`, { method: "PUT", body: input }),
    onSuccess: () => {
      setDraft(null);
      setErrors({});
      qc.invalidateQueries({ queryKey: modelKeys.detail(model.id) });
      qc.invalidateQueries({ queryKey: modelKeys.lists() });
    },
    onError: (e) => setErrors(e instanceof ApiError ? e.fieldErrors() : {}),
  });
  const update = (key: number, patch: Partial<Draft>) => setDraft((d) => d?.map((r) => (r.key === key ? { ...r, ...patch } : r)) ?? null);
  const submit = () => {
    if (!draft) return;
    const r = setRoutesSchema.safeParse(toInput(draft));
    if (!r.success) {
      const next: Record<string, string> = {};
      for (const i of r.error.issues) next[formatPath(i.path)] ??= i.message;
      setErrors(next);
      return;
    }
    setErrors({});
    save.mutate(r.data);
  };
  const preview = draft
    ? orderRoutes(draft.map((d, idx) => ({ idx, priority: Number(d.priority) || 0, weight: Number(d.weight) || 0 }))).map((d) => d.idx)
    : [];
  const targetName = (t: string) => targets.data?.data.find((x) => `${x.type}:${x.id}` === t)?.name ?? "—";

  return (
    <section aria-label="Routes" className="space-y-3">
      <SectionHeader
        title="Routes"
        description="Where calls to this model go, in failover order: lowest priority number first, then the heavier weight. When a route fails with a retryable error, the gateway tries the next one."
        actions={
          canManage &&
          !draft && (
            <Button variant="secondary" onClick={() => setDraft(model.routes.map(toDraft))}>
              Edit routes
            </Button>
          )
        }
      />
      <FailoverChain routes={model.routes} />
      {draft && (
        <div className="space-y-3 rounded-lg bg-white p-4 ring-1 ring-slate-200">
          <ErrorBanner error={save.error instanceof ApiError && save.error.errors.length ? null : save.error} />
          {errors.routes && <p className="text-xs text-red-600">{errors.routes}</p>}
          <table className="w-full text-sm" aria-label="Edit routes">
            <thead>
              <tr className="text-left text-xs text-slate-500">
                <th className="pb-1 font-medium">Target</th>
                <th className="pb-1 font-medium">Upstream model</th>
                <th className="w-24 pb-1 font-medium">Priority</th>
                <th className="w-24 pb-1 font-medium">Weight</th>
                <th className="w-20 pb-1 font-medium">Enabled</th>
                <th className="w-10" />
              </tr>
            </thead>
            <tbody>
              {draft.map((r, i) => {
                const err = (f: string) => errors[`routes[${i}].${f}`];
                const targetError = err("platformId") ?? err("deploymentId");
                return [
                  <tr key={r.key} className="align-top">
                    <td className="py-1 pr-2">
                      <Select
                        aria-label={`Route ${i + 1} target`}
                        value={r.target}
                        onChange={(e) => update(r.key, { target: e.target.value })}
                        aria-invalid={!!targetError || undefined}
                      >
                        <option value="">Choose…</option>
                        {(["platform", "deployment"] as const).map((type) => (
                          <optgroup key={type} label={type === "platform" ? "Platforms" : "Deployments (self-hosted)"}>
                            {targets.data?.data
                              .filter((t) => t.type === type)
                              .map((t) => (
                                <option key={t.id} value={`${t.type}:${t.id}`} disabled={!t.active && r.target !== `${t.type}:${t.id}`}>
                                  {t.name} ({t.kind}){t.active ? "" : " — disabled"}
                                </option>
                              ))}
                          </optgroup>
                        ))}
                      </Select>
                      {targetError && (
                        <p role="alert" className="mt-1 text-xs text-red-600">
                          {targetError}
                        </p>
                      )}
                    </td>
                    <td className="py-1 pr-2">
                      <Input
                        aria-label={`Route ${i + 1} upstream model`}
                        placeholder={model.name}
                        value={r.upstreamModel}
                        onChange={(e) => update(r.key, { upstreamModel: e.target.value })}
                        invalid={!!err("upstreamModel")}
                        spellCheck={false}
                      />
                      {err("upstreamModel") && <p className="mt-1 text-xs text-red-600">{err("upstreamModel")}</p>}
                    </td>
                    <td className="py-1 pr-2">
                      <Input
                        aria-label={`Route ${i + 1} priority`}
                        inputMode="numeric"
                        value={r.priority}
                        onChange={(e) => update(r.key, { priority: e.target.value })}
                        invalid={!!err("priority")}
                      />
                      {err("priority") && <p className="mt-1 text-xs text-red-600">{err("priority")}</p>}
                    </td>
                    <td className="py-1 pr-2">
                      <Input
                        aria-label={`Route ${i + 1} weight`}
                        inputMode="numeric"
                        value={r.weight}
                        onChange={(e) => update(r.key, { weight: e.target.value })}
                        invalid={!!err("weight")}
                      />
                      {err("weight") && <p className="mt-1 text-xs text-red-600">{err("weight")}</p>}
                    </td>
                    <td className="py-2.5 pr-2">
                      <input
                        type="checkbox"
                        aria-label={`Route ${i + 1} enabled`}
                        checked={r.enabled}
                        onChange={(e) => update(r.key, { enabled: e.target.checked })}
                        className="size-4 rounded border-slate-300"
                      />
                    </td>
                    <td className="py-1">
                      <Button
                        variant="ghost"
                        size="sm"
                        aria-label={`Remove route ${i + 1}`}
                        onClick={() => setDraft((d) => d?.filter((x) => x.key !== r.key) ?? null)}
                      >
                        <Trash2 className="size-3.5" aria-hidden />
                      </Button>
                    </td>
                  </tr>,
                  <tr key={`${r.key}-timeouts`} className="border-b border-slate-100 align-top">
                    <td colSpan={6} className="pb-2">
                      <div className="flex flex-wrap items-start gap-3 text-xs">
                        <span className="pt-2 text-slate-500">Timeouts (optional):</span>
                        {TIMEOUT_FIELDS.map(({ field, label, placeholder }) => {
                          const e = err(`timeouts.${field}`);
                          return (
                            <label key={field} className="flex flex-col gap-1">
                              <span className="text-slate-500">{label}</span>
                              <Input
                                aria-label={`Route ${i + 1} ${label.toLowerCase()}`}
                                inputMode="numeric"
                                placeholder={placeholder}
                                value={r[field]}
                                onChange={(ev) => update(r.key, { [field]: ev.target.value })}
                                invalid={!!e}
                                className="w-32"
                              />
                              {e && <span className="text-red-600">{e}</span>}
                            </label>
                          );
                        })}
                      </div>
                    </td>
                  </tr>,
                ];
              })}
            </tbody>
          </table>
          <div className="flex flex-wrap items-center justify-between gap-3">
            <Button
              variant="secondary"
              size="sm"
              onClick={() =>
                setDraft((d) => [
                  ...(d ?? []),
                  {
                    key: Date.now(),
                    target: "",
                    upstreamModel: "",
                    priority: String(Math.max(0, ...(d ?? []).map((x) => Number(x.priority) || 0)) + 1),
                    weight: "1",
                    enabled: true,
                    connectMs: "",
                    firstTokenMs: "",
                    totalMs: "",
                  },
                ])
              }
            >
              <Plus className="size-3.5" aria-hidden /> Add route
            </Button>
            {draft.length > 0 && (
              <p className="text-xs text-slate-500">
                Order after saving: {preview.map((idx, n) => `${n + 1} · ${targetName(draft[idx].target)}`).join(" → ")}
              </p>
            )}
          </div>
          <div className="flex justify-end gap-2">
            <Button
              variant="secondary"
              onClick={() => {
                setDraft(null);
                setErrors({});
                save.reset();
              }}
            >
              Cancel
            </Button>
            <Button onClick={submit} pending={save.isPending}>
              Save routes
            </Button>
          </div>
        </div>
      )}
      {!draft && model.routes.some((r) => !r.targetActive) && (
        <Badge tone="amber">A route points to a disabled platform; the gateway skips it.</Badge>
      )}
    </section>
  );
}
