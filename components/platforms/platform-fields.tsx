"use client";

import { useState } from "react";
import { VENDOR_IDS, VENDORS, type VendorId } from "@/lib/platforms/vendors";
import { Field, Input, Select, Textarea } from "@/components/ui/field";

/** A field's error, whether the client (keys.0.value) or the server (keys[0].value) reported it. */
export const fieldError = (errors: Record<string, string>, path: string) => errors[path] ?? errors[path.replace(/\[(\d+)\]/g, ".$1")];

export interface PlatformFieldValues {
  name: string;
  vendor: VendorId;
  baseUrl: string;
  apiVersion: string | null;
  notes: string;
  internal: boolean;
}

/** Reads the shared platform fields from a form; an API version only where the vendor uses one. */
export function platformFieldsInput(f: FormData) {
  const vendor = String(f.get("vendor") ?? "") as VendorId;
  const version = String(f.get("apiVersion") ?? "").trim();
  return {
    name: f.get("name"),
    vendor: vendor || undefined,
    baseUrl: f.get("baseUrl"),
    apiVersion: VENDORS[vendor]?.apiVersion ? version || undefined : undefined,
    notes: String(f.get("notes") ?? ""),
    internal: f.get("internal") === "on",
  };
}

/**
 * Name, vendor, base URL, API version, notes and the internal flag. Choosing a vendor fills in its base URL
 * (unless one was typed) and shows the API version only for vendors that have one.
 */
export function PlatformFields({
  idPrefix,
  errors,
  initial,
  readOnly = false,
}: {
  idPrefix: string;
  errors: Record<string, string>;
  initial?: PlatformFieldValues;
  readOnly?: boolean;
}) {
  const [vendor, setVendor] = useState<VendorId>(initial?.vendor ?? "openai");
  const [baseUrl, setBaseUrl] = useState(initial?.baseUrl ?? VENDORS.openai.defaultBaseUrl);
  const v = VENDORS[vendor];
  const [apiVersion, setApiVersion] = useState(initial?.apiVersion ?? v.apiVersion?.default ?? "");
  const id = (s: string) => `${idPrefix}-${s}`;
  return (
    <>
      <Field label="Name" htmlFor={id("name")} error={errors.name} hint="e.g. OpenAI US-West">
        <Input id={id("name")} name="name" defaultValue={initial?.name} readOnly={readOnly} invalid={!!errors.name} autoFocus={!initial} />
      </Field>
      <Field label="Vendor" htmlFor={id("vendor")} error={errors.vendor} hint={v.modelNames}>
        <Select
          id={id("vendor")}
          name="vendor"
          value={vendor}
          disabled={readOnly}
          onChange={(e) => {
            const next = e.target.value as VendorId;
            if (!baseUrl || baseUrl === v.defaultBaseUrl) setBaseUrl(VENDORS[next].defaultBaseUrl);
            setApiVersion(VENDORS[next].apiVersion?.default ?? "");
            setVendor(next);
          }}
        >
          {VENDOR_IDS.map((vid) => (
            <option key={vid} value={vid}>
              {VENDORS[vid].label}
            </option>
          ))}
        </Select>
      </Field>
      <Field
        label="Base URL"
        htmlFor={id("baseUrl")}
        error={errors.baseUrl}
        hint={v.defaultBaseUrl ? `Default: ${v.defaultBaseUrl}` : `e.g. ${v.baseUrlHint}`}
      >
        <Input
          id={id("baseUrl")}
          name="baseUrl"
          value={baseUrl}
          onChange={(e) => setBaseUrl(e.target.value)}
          placeholder={v.baseUrlHint}
          readOnly={readOnly}
          spellCheck={false}
          invalid={!!errors.baseUrl}
        />
      </Field>
      {v.apiVersion && (
        <Field
          label={v.apiVersion.label === "API version" ? "API version" : `API version (${v.apiVersion.label})`}
          htmlFor={id("apiVersion")}
          error={errors.apiVersion}
          hint={
            v.apiVersion.required ? `Required by ${v.label}; default ${v.apiVersion.default}` : `Optional; default ${v.apiVersion.default}`
          }
        >
          <Input
            id={id("apiVersion")}
            name="apiVersion"
            value={apiVersion}
            onChange={(e) => setApiVersion(e.target.value)}
            readOnly={readOnly}
            invalid={!!errors.apiVersion}
          />
        </Field>
      )}
      <Field label="Notes" htmlFor={id("notes")} error={errors.notes}>
        <Textarea id={id("notes")} name="notes" rows={2} defaultValue={initial?.notes} readOnly={readOnly} invalid={!!errors.notes} />
      </Field>
      <div className="space-y-1">
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            name="internal"
            defaultChecked={initial?.internal}
            disabled={readOnly}
            className="size-4 rounded border-slate-300"
          />
          Internal (self-hosted or private network)
        </label>
        {errors.internal ? (
          <p role="alert" className="text-xs text-red-600">
            {errors.internal}
          </p>
        ) : (
          <p className="text-xs text-slate-500">
            Allows private and loopback addresses in the base URL. Only for services you run or trust.
          </p>
        )}
      </div>
    </>
  );
}
