"use client";

import { useQuery } from "@tanstack/react-query";
import { api, type Page } from "@/components/api/client";
import { optional } from "@/components/forms/use-schema-form";
import { Field, Input, Select } from "@/components/ui/field";
import { BUDGET_ACTION_LABELS } from "@/lib/schemas/budgets";
import type { VirtualKeyDto } from "@/lib/virtual-keys/key-dto";
import { virtualKeyKeys } from "./keys";

/** Model names for the allowed-models checkboxes (one page of 200 covers any realistic registry). */
export function useModelNames() {
  return useQuery({
    queryKey: virtualKeyKeys.modelNames,
    queryFn: () => api<Page<{ name: string; status: string }>>("/models", { query: { limit: 200, sort: "name" } }),
    select: (p) => p.data.map((m) => ({ name: m.name, inactive: m.status !== "active" })),
  });
}

const num = (v: FormDataEntryValue | null) => {
  const s = optional(v);
  return s === undefined ? null : Number(s);
};

/**
 * The form's values as the schema's input. On create an empty field is simply absent; on edit it clears the
 * limit (null), and the expiry is sent only when the date was changed (a stored exact time stays as it is).
 */
export function keyFieldsInput(f: FormData, initial?: VirtualKeyDto) {
  const expiry = optional(f.get("expiresAt"));
  // Until the model list has loaded there are no checkboxes: an edit then leaves the allowed models alone
  // rather than widening the key to every model.
  const modelsShown = f.get("allowedModelsShown") === "1";
  const base = {
    name: f.get("name"),
    owner: f.get("owner") ?? "",
    allowedModels: modelsShown || !initial ? f.getAll("allowedModels") : undefined,
    rpm: num(f.get("rpm")),
    tpm: num(f.get("tpm")),
    monthlyBudgetUsd: optional(f.get("monthlyBudgetUsd")) ?? null,
    budgetAction: optional(f.get("budgetAction")),
  };
  if (!initial) return { ...base, expiresAt: expiry ?? null };
  const initialDate = initial.expiresAt?.slice(0, 10);
  return expiry === initialDate ? base : { ...base, expiresAt: expiry ?? null };
}

/** Client paths are "allowedModels.1", the server's "allowedModels[1]": either marks the model list. */
function modelsError(errors: Record<string, string>) {
  const k = Object.keys(errors).find((e) => e === "allowedModels" || e.startsWith("allowedModels.") || e.startsWith("allowedModels["));
  return k ? errors[k] : undefined;
}

export function KeyFields({ errors, initial }: { errors: Record<string, string>; initial?: VirtualKeyDto }) {
  const models = useModelNames();
  const selected = new Set(initial?.allowedModels ?? []);
  const mErr = modelsError(errors);
  // A model the key allows stays listed (and checked) even when it is missing from the fetched page.
  const names = models.data
    ? [...models.data, ...[...selected].filter((n) => !models.data.some((m) => m.name === n)).map((name) => ({ name, inactive: false }))]
    : undefined;
  return (
    <>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" htmlFor="key-name" error={errors.name} hint="Unique in this workspace, e.g. research-bot.">
          <Input id="key-name" name="name" defaultValue={initial?.name} autoComplete="off" invalid={!!errors.name} autoFocus />
        </Field>
        <Field label="Owner" htmlFor="key-owner" error={errors.owner} hint="Who the key is for: a person or a team.">
          <Input id="key-owner" name="owner" defaultValue={initial?.owner} autoComplete="off" invalid={!!errors.owner} />
        </Field>
      </div>
      <fieldset className="space-y-1.5">
        <legend className="text-sm font-medium text-slate-700">Allowed models</legend>
        <p className="text-xs text-slate-500">None selected: the key may call every active model.</p>
        <div className="max-h-40 overflow-y-auto rounded-md p-2 ring-1 ring-slate-200" aria-invalid={!!mErr}>
          {models.isPending && <p className="text-xs text-slate-500">Loading models…</p>}
          {models.error && <p className="text-xs text-red-600">The model list could not be loaded.</p>}
          {names?.length === 0 && <p className="text-xs text-slate-500">No models are registered yet.</p>}
          {names && <input type="hidden" name="allowedModelsShown" value="1" />}
          <div className="grid gap-1 sm:grid-cols-2">
            {names?.map((m) => (
              <label key={m.name} className="flex items-center gap-2 text-sm text-slate-700">
                <input
                  type="checkbox"
                  name="allowedModels"
                  value={m.name}
                  defaultChecked={selected.has(m.name)}
                  className="size-4 rounded border-slate-300 text-brand-600"
                />
                <span className="truncate font-mono text-xs">{m.name}</span>
                {m.inactive && <span className="text-xs text-slate-400">(inactive)</span>}
              </label>
            ))}
          </div>
        </div>
        {mErr && (
          <p role="alert" className="text-xs text-red-600">
            {mErr}
          </p>
        )}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-4">
        <Field label="Requests per minute" htmlFor="key-rpm" error={errors.rpm} hint="Empty: no limit.">
          <Input
            id="key-rpm"
            name="rpm"
            type="number"
            min={1}
            max={1_000_000}
            inputMode="numeric"
            defaultValue={initial?.rpm ?? undefined}
            invalid={!!errors.rpm}
          />
        </Field>
        <Field label="Tokens per minute" htmlFor="key-tpm" error={errors.tpm} hint="Empty: no limit.">
          <Input
            id="key-tpm"
            name="tpm"
            type="number"
            min={1}
            max={1_000_000_000}
            inputMode="numeric"
            defaultValue={initial?.tpm ?? undefined}
            invalid={!!errors.tpm}
          />
        </Field>
        <Field label="Monthly budget (USD)" htmlFor="key-budget" error={errors.monthlyBudgetUsd} hint="Empty: no budget.">
          <Input
            id="key-budget"
            name="monthlyBudgetUsd"
            inputMode="decimal"
            defaultValue={initial?.monthlyBudgetUsd ? String(Number(initial.monthlyBudgetUsd)) : undefined}
            invalid={!!errors.monthlyBudgetUsd}
          />
        </Field>
        <Field
          label="At 100 % of budget"
          htmlFor="key-budget-action"
          error={errors.budgetAction}
          hint="Block refuses calls until next month."
        >
          <Select id="key-budget-action" name="budgetAction" defaultValue={initial?.budgetAction ?? "block"}>
            <option value="block">{BUDGET_ACTION_LABELS.block}</option>
            <option value="notify">{BUDGET_ACTION_LABELS.notify}</option>
          </Select>
        </Field>
      </div>
      <Field
        label="Expires on"
        htmlFor="key-expiry"
        error={errors.expiresAt}
        hint="The key works through the end of this day (UTC). Empty: never expires."
      >
        <Input id="key-expiry" name="expiresAt" type="date" defaultValue={initial?.expiresAt?.slice(0, 10)} invalid={!!errors.expiresAt} />
      </Field>
    </>
  );
}
