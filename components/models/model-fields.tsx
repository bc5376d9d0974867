"use client";

import { AlertTriangle } from "lucide-react";
import { FEATURE_LABELS, LARGE_CONTEXT_TOKENS, MODALITIES, MODEL_FEATURES } from "@/lib/schemas/models";
import { optional } from "@/components/forms/use-schema-form";
import { Field, Input, Textarea } from "@/components/ui/field";
import { tokensFrom } from "./format";

export interface ModelDefaults {
  name?: string;
  provider?: string;
  description?: string;
  features?: string[];
  modalities?: string[];
  contextWindow?: number | null;
  maxOutputTokens?: number | null;
  defaultContext?: number | null;
  defaultMaxOutput?: number | null;
}

type Errors = Record<string, string>;

/** The properties form's values as the update/create schema's input. */
export function propertiesFrom(f: FormData) {
  return {
    name: f.get("name"),
    provider: String(f.get("provider") ?? "").trim(),
    description: String(f.get("description") ?? "").trim(),
    features: f.getAll("features"),
    modalities: f.getAll("modalities"),
    contextWindow: tokensFrom(f.get("contextWindow")),
    maxOutputTokens: tokensFrom(f.get("maxOutputTokens")),
  };
}

export function contextPolicyFrom(f: FormData) {
  return { defaultContext: tokensFrom(f.get("defaultContext")) ?? null, defaultMaxOutput: tokensFrom(f.get("defaultMaxOutput")) ?? null };
}

export function pricingFrom(f: FormData) {
  const input = optional(f.get("inputPerMillion"));
  const output = optional(f.get("outputPerMillion"));
  const cached = optional(f.get("cachedInputPerMillion"));
  if (input === undefined && output === undefined && cached === undefined) return undefined;
  return { inputPerMillion: input ?? "", outputPerMillion: output ?? "", cachedInputPerMillion: cached ?? null };
}

function Checks({
  name,
  legend,
  options,
  labels,
  selected,
  error,
  disabled,
}: {
  name: string;
  legend: string;
  options: readonly string[];
  labels?: Record<string, string>;
  selected: string[];
  error?: string;
  disabled?: boolean;
}) {
  return (
    <fieldset className="space-y-1.5" disabled={disabled}>
      <legend className="text-sm font-medium text-slate-700">{legend}</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1.5">
        {options.map((o) => (
          <label key={o} className="flex items-center gap-1.5 text-sm text-slate-700">
            <input
              type="checkbox"
              name={name}
              value={o}
              defaultChecked={selected.includes(o)}
              className="size-4 rounded border-slate-300 text-brand-600"
            />
            {labels?.[o] ?? o}
          </label>
        ))}
      </div>
      {error && (
        <p role="alert" className="text-xs text-red-600">
          {error}
        </p>
      )}
    </fieldset>
  );
}

const firstError = (errors: Errors, prefix: string) =>
  errors[prefix] ?? Object.entries(errors).find(([k]) => k.startsWith(`${prefix}[`) || k.startsWith(`${prefix}.`))?.[1];

export function PropertyFields({
  idPrefix,
  defaults,
  errors,
  disabled,
}: {
  idPrefix: string;
  defaults: ModelDefaults;
  errors: Errors;
  disabled?: boolean;
}) {
  const id = (f: string) => `${idPrefix}-${f}`;
  return (
    <div className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" htmlFor={id("name")} error={errors.name} hint="What callers ask for, e.g. gpt-4-turbo">
          <Input id={id("name")} name="name" defaultValue={defaults.name} invalid={!!errors.name} disabled={disabled} spellCheck={false} />
        </Field>
        <Field label="Provider" htmlFor={id("provider")} error={errors.provider} hint="Who makes or serves it">
          <Input id={id("provider")} name="provider" defaultValue={defaults.provider} invalid={!!errors.provider} disabled={disabled} />
        </Field>
        <Field label="Context window (tokens)" htmlFor={id("contextWindow")} error={errors.contextWindow}>
          <Input
            id={id("contextWindow")}
            name="contextWindow"
            inputMode="numeric"
            defaultValue={defaults.contextWindow ?? ""}
            invalid={!!errors.contextWindow}
            disabled={disabled}
          />
        </Field>
        <Field label="Maximum output (tokens)" htmlFor={id("maxOutputTokens")} error={errors.maxOutputTokens}>
          <Input
            id={id("maxOutputTokens")}
            name="maxOutputTokens"
            inputMode="numeric"
            defaultValue={defaults.maxOutputTokens ?? ""}
            invalid={!!errors.maxOutputTokens}
            disabled={disabled}
          />
        </Field>
      </div>
      <Checks
        name="features"
        legend="Features"
        options={MODEL_FEATURES}
        labels={FEATURE_LABELS}
        selected={defaults.features ?? []}
        error={firstError(errors, "features")}
        disabled={disabled}
      />
      <Checks
        name="modalities"
        legend="Modalities"
        options={MODALITIES}
        selected={defaults.modalities ?? ["text"]}
        error={firstError(errors, "modalities")}
        disabled={disabled}
      />
      <Field label="Description" htmlFor={id("description")} error={errors.description}>
        <Textarea
          id={id("description")}
          name="description"
          rows={2}
          defaultValue={defaults.description}
          invalid={!!errors.description}
          disabled={disabled}
        />
      </Field>
    </div>
  );
}

export function PriceFields({
  idPrefix,
  defaults,
  errors,
  prefix = "",
}: {
  idPrefix: string;
  defaults?: { input?: string | number; output?: string | number; cached?: string | number | null };
  errors: Errors;
  prefix?: string;
}) {
  const id = (f: string) => `${idPrefix}-${f}`;
  const err = (f: string) => errors[`${prefix}${f}`];
  return (
    <div className="grid gap-4 sm:grid-cols-3">
      <Field label="Input $ / 1M tokens" htmlFor={id("input")} error={err("inputPerMillion")}>
        <Input
          id={id("input")}
          name="inputPerMillion"
          inputMode="decimal"
          defaultValue={defaults?.input ?? ""}
          invalid={!!err("inputPerMillion")}
        />
      </Field>
      <Field label="Output $ / 1M tokens" htmlFor={id("output")} error={err("outputPerMillion")}>
        <Input
          id={id("output")}
          name="outputPerMillion"
          inputMode="decimal"
          defaultValue={defaults?.output ?? ""}
          invalid={!!err("outputPerMillion")}
        />
      </Field>
      <Field label="Cached input $ / 1M" htmlFor={id("cached")} error={err("cachedInputPerMillion")} hint="Optional">
        <Input
          id={id("cached")}
          name="cachedInputPerMillion"
          inputMode="decimal"
          defaultValue={defaults?.cached ?? ""}
          invalid={!!err("cachedInputPerMillion")}
        />
      </Field>
    </div>
  );
}

/** The seed's anti-pattern: a large default context is paid for on every call. */
export function LargeContextWarning({ tokens }: { tokens: number | null | undefined }) {
  if (!tokens || tokens < LARGE_CONTEXT_TOKENS) return null;
  return (
    <div role="note" className="flex gap-2.5 rounded-md bg-amber-50 px-3 py-2.5 text-sm text-amber-900 ring-1 ring-amber-200">
      <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
      <p>
        Callers get a default context of {tokens.toLocaleString("en")} tokens. With a default this large, every call pays for the whole
        window: agents send as much history as fits, and each request is billed for all of it. Offer a smaller default (for example 16K or
        32K) and let callers that need more ask for it.
      </p>
    </div>
  );
}
