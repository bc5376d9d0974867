"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, Brain } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { addPriceSchema, updateModelSchema } from "@/lib/schemas/models";
import type { ModelDetailDto, PriceDto } from "@/lib/models/model-dto";
import { api } from "@/components/api/client";
import { FormDialog } from "@/components/forms/form-dialog";
import { optional, useSchemaForm } from "@/components/forms/use-schema-form";
import { ErrorBanner, SuccessNote } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input } from "@/components/ui/field";
import { formatDateTime } from "@/components/ui/format";
import { SectionHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatPrice, formatTokens, toLocalInput, tokensFrom } from "./format";
import { modelKeys } from "./keys";
import { contextPolicyFrom, LargeContextWarning, PriceFields, propertiesFrom, PropertyFields } from "./model-fields";
import { RoutesSection } from "./routes-editor";

export function ModelDetail({ modelId, workspaceSlug, canManage }: { modelId: string; workspaceSlug: string; canManage: boolean }) {
  const model = useQuery({ queryKey: modelKeys.detail(modelId), queryFn: () => api<ModelDetailDto>(`/models/${modelId}`) });
  const back = (
    <Link
      href={`/w/${workspaceSlug}/providers/models`}
      className="inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-800"
    >
      <ArrowLeft className="size-4" aria-hidden /> All models
    </Link>
  );
  if (model.isPending)
    return (
      <div className="space-y-3">
        {back}
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-40" />
      </div>
    );
  if (model.error || !model.data) {
    return (
      <div className="space-y-3">
        {back}
        <ErrorBanner error={model.error} />
      </div>
    );
  }
  const m = model.data;
  return (
    <div className="space-y-10">
      <div className="space-y-3">
        {back}
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div>
            <h2 className="flex items-center gap-2 text-lg font-semibold text-slate-900">
              <Brain className="size-5 text-brand-600" aria-hidden /> {m.name}
              {m.status === "active" ? <Badge tone="green">Active</Badge> : <Badge tone="slate">Inactive</Badge>}
              {m.source === "config" && <Badge tone="violet">config</Badge>}
            </h2>
            <p className="mt-1 text-sm text-slate-500">
              {m.provider || "No provider"} · context {formatTokens(m.contextWindow)} · max output {formatTokens(m.maxOutputTokens)} ·{" "}
              {m.currentPrice
                ? `${formatPrice(m.currentPrice.inputPerMillion)} in / ${formatPrice(m.currentPrice.outputPerMillion)} out per 1M`
                : "no price"}
            </p>
          </div>
          {canManage && (
            <div className="flex gap-2">
              <StatusButton model={m} />
              <DeleteModel model={m} workspaceSlug={workspaceSlug} />
            </div>
          )}
        </div>
      </div>
      <RoutesSection model={m} canManage={canManage} />
      <PriceHistory model={m} canManage={canManage} />
      <ContextPolicy model={m} canManage={canManage} />
      <Properties model={m} canManage={canManage} />
    </div>
  );
}

function useModelMutation<I>(model: ModelDetailDto, fn: (input: I) => Promise<unknown>, onError?: (e: unknown) => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: modelKeys.detail(model.id) });
      qc.invalidateQueries({ queryKey: modelKeys.lists() });
      qc.invalidateQueries({ queryKey: modelKeys.providers() });
    },
    onError,
  });
}

function StatusButton({ model }: { model: ModelDetailDto }) {
  const next = model.status === "active" ? "inactive" : "active";
  const toggle = useModelMutation(model, () => api(`/models/${model.id}`, { method: "PATCH", body: { status: next } }));
  return (
    <div className="flex flex-col items-end gap-1">
      <Button variant="secondary" pending={toggle.isPending} onClick={() => toggle.mutate(undefined)}>
        {model.status === "active" ? "Disable" : "Enable"}
      </Button>
      <ErrorBanner error={toggle.error} />
    </div>
  );
}

function DeleteModel({ model, workspaceSlug }: { model: ModelDetailDto; workspaceSlug: string }) {
  const qc = useQueryClient();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const remove = useMutation({
    mutationFn: () =>
      api<void>(`/models/${model.id}`, { method: "DELETE", query: { force: model.dependents.length ? "true" : undefined } }),
    onSuccess: () => {
      setOpen(false);
      qc.removeQueries({ queryKey: modelKeys.detail(model.id) });
      qc.invalidateQueries({ queryKey: modelKeys.lists() });
      qc.invalidateQueries({ queryKey: modelKeys.providers() });
      router.push(`/w/${workspaceSlug}/providers/models`);
    },
  });
  const blocking = model.dependents.filter((d) => !d.removedWithModel);
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Delete
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(o) => {
          setOpen(o);
          if (!o) remove.reset();
        }}
        title={`Delete ${model.name}?`}
        description={
          <div className="space-y-2">
            <p>
              Callers asking for {model.name} get “model not found” from then on. Its price history ({model.prices.length} price
              {model.prices.length === 1 ? "" : "s"}) is deleted with it.
            </p>
            {model.dependents.length ? (
              <>
                <p>{blocking.length ? "These depend on it:" : "These are deleted with it:"}</p>
                <ul className="list-disc space-y-0.5 pl-5" aria-label="Dependents">
                  {model.dependents.map((d) => (
                    <li key={d.id}>
                      {d.label}
                      {!d.removedWithModel && " — remove it first"}
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <p>Nothing else depends on this model.</p>
            )}
          </div>
        }
        confirmLabel="Delete model"
        pending={remove.isPending}
        confirmDisabled={blocking.length > 0}
        onConfirm={() => remove.mutate()}
      >
        <ErrorBanner error={remove.error} className="mt-4" />
      </ConfirmDialog>
    </>
  );
}

function priceState(p: PriceDto, current: PriceDto | null) {
  if (current?.id === p.id) return <Badge tone="green">In force</Badge>;
  if (new Date(p.effectiveFrom).getTime() > Date.now()) return <Badge tone="amber">Scheduled</Badge>;
  return <Badge tone="slate">Superseded</Badge>;
}

function PriceHistory({ model, canManage }: { model: ModelDetailDto; canManage: boolean }) {
  return (
    <section aria-label="Prices" className="space-y-3">
      <SectionHeader
        title="Price history"
        description="USD per million tokens. A change adds a price from its effective date and keeps the old one, so every call is billed at the price in force when it was made."
        actions={canManage && <ChangePriceDialog model={model} />}
      />
      {model.prices.length ? (
        <Table label="Price history">
          <THead>
            <Th>Effective from</Th>
            <Th className="text-right">Input / 1M</Th>
            <Th className="text-right">Output / 1M</Th>
            <Th className="text-right">Cached input / 1M</Th>
            <Th>Note</Th>
            <Th>State</Th>
          </THead>
          <tbody>
            {model.prices.map((p) => (
              <Tr key={p.id}>
                <Td className="whitespace-nowrap">{formatDateTime(p.effectiveFrom)}</Td>
                <Td className="text-right tabular-nums">{formatPrice(p.inputPerMillion)}</Td>
                <Td className="text-right tabular-nums">{formatPrice(p.outputPerMillion)}</Td>
                <Td className="text-right tabular-nums">{formatPrice(p.cachedInputPerMillion)}</Td>
                <Td className="text-slate-500">{p.note || "—"}</Td>
                <Td>{priceState(p, model.currentPrice)}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <EmptyState icon={Brain} title="No price yet">
          <p>Usage of this model is recorded with zero cost until it has a price.</p>
        </EmptyState>
      )}
    </section>
  );
}

function ChangePriceDialog({ model }: { model: ModelDetailDto }) {
  const qc = useQueryClient();
  const current = model.currentPrice;
  const whenInput = useRef<HTMLInputElement>(null);
  return (
    <FormDialog
      schema={addPriceSchema}
      toInput={(f) => {
        // Left at its default (now, to the minute) it means "now": the server stamps the exact time, so the new
        // price is never dated before a price set earlier in the same minute.
        const raw = optional(f.get("effectiveFrom"));
        const when = raw && raw !== whenInput.current?.defaultValue ? raw : undefined;
        return {
          inputPerMillion: f.get("inputPerMillion") ?? "",
          outputPerMillion: f.get("outputPerMillion") ?? "",
          cachedInputPerMillion: optional(f.get("cachedInputPerMillion")) ?? null,
          effectiveFrom: when ? new Date(when).toISOString() : undefined,
          note: optional(f.get("note")),
        };
      }}
      mutationFn={(input) => api<PriceDto>(`/models/${model.id}/prices`, { method: "POST", body: input })}
      onSuccess={() => {
        qc.invalidateQueries({ queryKey: modelKeys.detail(model.id) });
        qc.invalidateQueries({ queryKey: modelKeys.lists() });
      }}
      title={`Change the price of ${model.name}`}
      description="The new price applies to calls from its effective date; earlier calls keep the price that was in force."
      trigger={<Button variant="secondary">Change price</Button>}
      submitLabel="Save price"
    >
      {(errors) => (
        <>
          <PriceFields
            idPrefix="change-price"
            errors={errors}
            defaults={
              current
                ? {
                    input: trimZeros(current.inputPerMillion),
                    output: trimZeros(current.outputPerMillion),
                    cached: current.cachedInputPerMillion ? trimZeros(current.cachedInputPerMillion) : "",
                  }
                : undefined
            }
          />
          <Field label="Effective from" htmlFor="change-price-when" error={errors.effectiveFrom} hint="Your local time; defaults to now">
            <Input
              id="change-price-when"
              name="effectiveFrom"
              type="datetime-local"
              ref={whenInput}
              defaultValue={toLocalInput(new Date())}
              invalid={!!errors.effectiveFrom}
            />
          </Field>
          <Field label="Note" htmlFor="change-price-note" error={errors.note} hint="e.g. contract 2025-07">
            <Input id="change-price-note" name="note" invalid={!!errors.note} />
          </Field>
        </>
      )}
    </FormDialog>
  );
}

const trimZeros = (s: string) => s.replace(/\.?0+$/, "");

function ContextPolicy({ model, canManage }: { model: ModelDetailDto; canManage: boolean }) {
  const [typed, setTyped] = useState<number | null | undefined>(undefined);
  const [saved, setSaved] = useState(false);
  const form = useSchemaForm(updateModelSchema, contextPolicyFrom);
  const save = useModelMutation(model, (input: unknown) => api(`/models/${model.id}`, { method: "PATCH", body: input }), form.fail);
  const effective = typed === undefined ? (model.defaultContext ?? model.contextWindow) : (typed ?? model.contextWindow);
  return (
    <section aria-label="Context policy" className="space-y-3">
      <SectionHeader
        title="Context policy"
        description="What callers get when they do not ask: the default maximum context and output. Empty means the model's maximum."
      />
      <form
        noValidate
        className="space-y-4 rounded-lg bg-white p-4 ring-1 ring-slate-200"
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          const input = form.parse(e.currentTarget);
          if (input) save.mutate(input, { onSuccess: () => setSaved(true) });
        }}
      >
        <ErrorBanner error={form.formError} />
        <fieldset disabled={!canManage} className="grid gap-4 sm:grid-cols-2">
          <Field
            label="Default context (tokens)"
            htmlFor="policy-context"
            error={form.errors.defaultContext}
            hint={`Maximum ${model.contextWindow?.toLocaleString("en") ?? "—"}`}
          >
            <Input
              id="policy-context"
              name="defaultContext"
              inputMode="numeric"
              defaultValue={model.defaultContext ?? ""}
              invalid={!!form.errors.defaultContext}
              onChange={(e) => setTyped(tokensFrom(e.target.value) ?? null)}
            />
          </Field>
          <Field
            label="Default max output (tokens)"
            htmlFor="policy-output"
            error={form.errors.defaultMaxOutput}
            hint={`Maximum ${model.maxOutputTokens?.toLocaleString("en") ?? "—"}`}
          >
            <Input
              id="policy-output"
              name="defaultMaxOutput"
              inputMode="numeric"
              defaultValue={model.defaultMaxOutput ?? ""}
              invalid={!!form.errors.defaultMaxOutput}
            />
          </Field>
        </fieldset>
        <LargeContextWarning tokens={effective} />
        {canManage && (
          <div className="flex items-center justify-end gap-3">
            {saved && <SuccessNote>Context policy saved</SuccessNote>}
            <Button type="submit" pending={save.isPending}>
              Save policy
            </Button>
          </div>
        )}
      </form>
    </section>
  );
}

function Properties({ model, canManage }: { model: ModelDetailDto; canManage: boolean }) {
  const [saved, setSaved] = useState(false);
  const form = useSchemaForm(updateModelSchema, propertiesFrom);
  const save = useModelMutation(model, (input: unknown) => api(`/models/${model.id}`, { method: "PATCH", body: input }), form.fail);
  return (
    <section aria-label="Properties" className="space-y-3">
      <SectionHeader title="Properties" description="Name, provider, limits, features and modalities." />
      <form
        noValidate
        className="space-y-4 rounded-lg bg-white p-4 ring-1 ring-slate-200"
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          const input = form.parse(e.currentTarget);
          if (input) save.mutate(input, { onSuccess: () => setSaved(true) });
        }}
      >
        <ErrorBanner error={form.formError} />
        <PropertyFields key={model.updatedAt} idPrefix="model" defaults={model} errors={form.errors} disabled={!canManage} />
        {canManage && (
          <div className="flex items-center justify-end gap-3">
            {saved && <SuccessNote>Properties saved</SuccessNote>}
            <Button type="submit" pending={save.isPending}>
              Save properties
            </Button>
          </div>
        )}
      </form>
    </section>
  );
}
