"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { useMemo, useState } from "react";
import { createModelSchema } from "@/lib/schemas/models";
import type { CatalogEntry } from "@/lib/models/price-catalog";
import type { ModelDetailDto } from "@/lib/models/model-dto";
import type { RouteTargetDto } from "@/lib/models/list-route-targets";
import { api, type Page } from "@/components/api/client";
import { FormDialog } from "@/components/forms/form-dialog";
import { optional } from "@/components/forms/use-schema-form";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { formatDate } from "@/components/ui/format";
import { tokensFrom } from "./format";
import { modelKeys } from "./keys";
import {
  contextPolicyFrom,
  LargeContextWarning,
  PriceFields,
  pricingFrom,
  propertiesFrom,
  PropertyFields,
  type ModelDefaults,
} from "./model-fields";

type Catalog = Page<CatalogEntry> & { catalogDate: string };

export function useCatalog() {
  return useQuery({ queryKey: modelKeys.catalog, queryFn: () => api<Catalog>("/catalog/models"), staleTime: Infinity });
}

export function useRouteTargets() {
  return useQuery({ queryKey: modelKeys.routeTargets, queryFn: () => api<Page<RouteTargetDto>>("/models/route-targets") });
}

function routeFrom(f: FormData) {
  const target = optional(f.get("routeTarget"));
  if (!target) return undefined;
  const [type, id] = target.split(":");
  return [
    { ...(type === "platform" ? { platformId: id } : { deploymentId: id }), upstreamModel: String(f.get("upstreamModel") ?? "").trim() },
  ];
}

/**
 * "Add model", optionally started from a catalog entry (which prefills everything) and with a first route.
 * `register` and `platformId` come from /providers/models?register=<model>&platform=<id>.
 */
export function AddModelDialog({ register, platformId, onClosed }: { register?: string; platformId?: string; onClosed?: () => void }) {
  const qc = useQueryClient();
  const catalog = useCatalog();
  const targets = useRouteTargets();
  const [presetId, setPresetId] = useState<string | undefined>(register);
  const [defaultContext, setDefaultContext] = useState<number | undefined>();
  const preset = useMemo(() => catalog.data?.data.find((e) => e.id.toLowerCase() === presetId?.toLowerCase()), [catalog.data, presetId]);
  const providers = useMemo(() => [...new Set(catalog.data?.data.map((e) => e.provider) ?? [])], [catalog.data]);
  const defaults: ModelDefaults = preset
    ? {
        name: preset.id,
        provider: preset.provider,
        description: preset.note ?? "",
        features: preset.features,
        modalities: preset.modalities,
        contextWindow: preset.contextWindow,
        maxOutputTokens: preset.maxOutputTokens,
      }
    : { name: register ?? "" };
  const activeTargets = targets.data?.data.filter((t) => t.active) ?? [];
  return (
    <FormDialog
      schema={createModelSchema}
      initiallyOpen={!!register}
      toInput={(f) => ({ ...propertiesFrom(f), ...contextPolicyFrom(f), pricing: pricingFrom(f), routes: routeFrom(f) })}
      mutationFn={(input) => api<ModelDetailDto>("/models", { method: "POST", body: input })}
      onSuccess={() => {
        qc.invalidateQueries({ queryKey: modelKeys.lists() });
        qc.invalidateQueries({ queryKey: modelKeys.providers() });
        onClosed?.();
      }}
      title="Add model"
      description="A logical model your agents call by name, with its price per million tokens and where it is served."
      trigger={
        <Button>
          <Plus className="size-4" aria-hidden /> Add model
        </Button>
      }
      submitLabel="Add model"
    >
      {(errors) => (
        <div className="-mr-2 max-h-[62vh] space-y-5 overflow-y-auto pr-2">
          <div>
            <label htmlFor="catalog-pick" className="mb-1.5 block text-sm font-medium text-slate-700">
              Start from the catalog
            </label>
            <Select id="catalog-pick" value={preset?.id ?? ""} onChange={(e) => setPresetId(e.target.value || undefined)}>
              <option value="">Blank model</option>
              {providers.map((p) => (
                <optgroup key={p} label={p}>
                  {catalog.data?.data
                    .filter((e) => e.provider === p)
                    .map((e) => (
                      <option key={e.id} value={e.id}>
                        {e.label} ({e.id})
                      </option>
                    ))}
                </optgroup>
              ))}
            </Select>
            <p className="mt-1 text-xs text-slate-500">
              {catalog.data
                ? `Public list prices as of ${formatDate(catalog.data.catalogDate)}; enter your contract price if it differs.`
                : "Loading the price catalog…"}
            </p>
          </div>
          <div key={preset?.id ?? "blank"} className="space-y-5">
            <div>
              <h3 className="mb-2 text-sm font-semibold text-slate-900">Price (USD)</h3>
              <PriceFields
                idPrefix="add-model-price"
                prefix="pricing."
                errors={errors}
                defaults={
                  preset
                    ? { input: preset.inputPerMillion, output: preset.outputPerMillion, cached: preset.cachedInputPerMillion ?? "" }
                    : undefined
                }
              />
            </div>
            <PropertyFields idPrefix="add-model" defaults={defaults} errors={errors} />
          </div>
          <div>
            <h3 className="mb-2 text-sm font-semibold text-slate-900">Context policy</h3>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field
                label="Default context (tokens)"
                htmlFor="add-model-defaultContext"
                error={errors.defaultContext}
                hint="Empty: the model's maximum"
              >
                <Input
                  id="add-model-defaultContext"
                  name="defaultContext"
                  inputMode="numeric"
                  invalid={!!errors.defaultContext}
                  onChange={(e) => setDefaultContext(tokensFrom(e.target.value))}
                />
              </Field>
              <Field
                label="Default max output (tokens)"
                htmlFor="add-model-defaultMaxOutput"
                error={errors.defaultMaxOutput}
                hint="Empty: the model's maximum"
              >
                <Input id="add-model-defaultMaxOutput" name="defaultMaxOutput" inputMode="numeric" invalid={!!errors.defaultMaxOutput} />
              </Field>
            </div>
            <div className="mt-3">
              <LargeContextWarning tokens={defaultContext} />
            </div>
          </div>
          <div key={targets.isSuccess ? "targets" : "loading"}>
            <h3 className="mb-2 text-sm font-semibold text-slate-900">First route</h3>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field
                label="Served by"
                htmlFor="add-model-route"
                error={errors["routes[0].platformId"] ?? errors["routes.0.platformId"] ?? errors["routes[0].deploymentId"]}
                hint={activeTargets.length ? undefined : "No platforms or deployments yet; add routes later"}
              >
                <Select id="add-model-route" name="routeTarget" defaultValue={platformId ? `platform:${platformId}` : ""}>
                  <option value="">No route yet</option>
                  {(["platform", "deployment"] as const).map((type) => {
                    const list = activeTargets.filter((t) => t.type === type);
                    return list.length ? (
                      <optgroup key={type} label={type === "platform" ? "Platforms" : "Deployments (self-hosted)"}>
                        {list.map((t) => (
                          <option key={t.id} value={`${t.type}:${t.id}`}>
                            {t.name} ({t.kind})
                          </option>
                        ))}
                      </optgroup>
                    ) : null;
                  })}
                </Select>
              </Field>
              <Field
                label="Upstream model"
                htmlFor="add-model-upstream"
                error={errors["routes[0].upstreamModel"]}
                hint="Vendor model id or Azure deployment; empty: the name"
              >
                <Input id="add-model-upstream" name="upstreamModel" defaultValue={register ?? ""} spellCheck={false} />
              </Field>
            </div>
          </div>
        </div>
      )}
    </FormDialog>
  );
}
