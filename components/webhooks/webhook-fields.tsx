"use client";

import Link from "next/link";
import { WEBHOOK_SCHEMES, type WebhookScheme } from "@/lib/schemas/webhooks";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import type { FormErrors, WebhookFormState } from "@/lib/webhooks/form-state";
import {
  DEFAULT_HEADER,
  SCHEME_DESCRIPTIONS,
  SCHEME_LABELS,
  senderIssuesSecret,
  takesEncoding,
  takesHeader,
  takesTolerance,
} from "./schemes";
import { useWebhookTargets } from "./targets";

type Set = <K extends keyof WebhookFormState>(k: K, v: WebhookFormState[K]) => void;

/**
 * The endpoint's inputs, shared by the create dialog and the settings card; the card (withSecret false) has no
 * secret choice (rotation has its own dialog) and no Enabled box (the page's Enable/Disable button).
 */
export function WebhookFields({
  form,
  set,
  errors,
  workspaceId,
  ws,
  withSecret,
}: {
  form: WebhookFormState;
  set: Set;
  errors: FormErrors;
  workspaceId: string;
  ws: string;
  withSecret: boolean;
}) {
  const targets = useWebhookTargets(workspaceId);
  const none = targets.data && targets.data.workers.length === 0 && targets.data.workflows.length === 0;
  return (
    <div className="space-y-4">
      <Field label="Name" htmlFor="wh-name" error={errors.name}>
        <Input id="wh-name" value={form.name} invalid={!!errors.name} onChange={(e) => set("name", e.target.value)} />
      </Field>
      <Field label="Description" htmlFor="wh-description" error={errors.description}>
        <Input
          id="wh-description"
          value={form.description}
          invalid={!!errors.description}
          placeholder="What sends here, e.g. GitHub pushes of acme/api"
          onChange={(e) => set("description", e.target.value)}
        />
      </Field>

      <fieldset className="space-y-3 rounded-md p-3 ring-1 ring-slate-200">
        <legend className="px-1 text-sm font-medium text-slate-700">Authentication</legend>
        <Field label="Scheme" htmlFor="wh-scheme" hint={SCHEME_DESCRIPTIONS[form.scheme]}>
          <Select
            id="wh-scheme"
            value={form.scheme}
            onChange={(e) => {
              const s = e.target.value as WebhookScheme;
              set("scheme", s);
              if (withSecret) set("secretSource", senderIssuesSecret(s) ? "sender" : "generate");
            }}
          >
            {WEBHOOK_SCHEMES.map((s) => (
              <option key={s} value={s}>
                {SCHEME_LABELS[s]}
              </option>
            ))}
          </Select>
        </Field>
        {takesHeader(form.scheme) && (
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label="Header" htmlFor="wh-header" error={errors.header} hint={`Default: ${DEFAULT_HEADER[form.scheme]}`}>
              <Input
                id="wh-header"
                value={form.header}
                placeholder={DEFAULT_HEADER[form.scheme]}
                invalid={!!errors.header}
                onChange={(e) => set("header", e.target.value)}
              />
            </Field>
            <Field
              label="Prefix"
              htmlFor="wh-prefix"
              error={errors.prefix}
              hint={form.scheme === "hmac-sha256" ? 'Before the signature, e.g. "sha256="' : 'Before the secret, e.g. "Bearer "'}
            >
              <Input id="wh-prefix" value={form.prefix} invalid={!!errors.prefix} onChange={(e) => set("prefix", e.target.value)} />
            </Field>
          </div>
        )}
        {takesEncoding(form.scheme) && (
          <Field label="Signature encoding" htmlFor="wh-encoding">
            <Select id="wh-encoding" value={form.encoding} onChange={(e) => set("encoding", e.target.value as "hex" | "base64")}>
              <option value="hex">hex</option>
              <option value="base64">base64</option>
            </Select>
          </Field>
        )}
        {takesTolerance(form.scheme) && (
          <Field
            label="Timestamp tolerance (seconds)"
            htmlFor="wh-tolerance"
            error={errors.toleranceSeconds}
            hint="How far the sender's timestamp may be from now, either way (10–3600; default 300)."
          >
            <Input
              id="wh-tolerance"
              inputMode="numeric"
              placeholder="300"
              value={form.toleranceSeconds}
              invalid={!!errors.toleranceSeconds}
              onChange={(e) => set("toleranceSeconds", e.target.value)}
            />
          </Field>
        )}
        {withSecret && (
          <div className="space-y-2">
            <span className="block text-sm font-medium text-slate-700">Signing secret</span>
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input
                type="radio"
                name="wh-secret-source"
                checked={form.secretSource === "generate"}
                onChange={() => set("secretSource", "generate")}
              />
              Generate one (shown once after creating)
            </label>
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input
                type="radio"
                name="wh-secret-source"
                checked={form.secretSource === "sender"}
                onChange={() => set("secretSource", "sender")}
              />
              Use the sender&apos;s secret
            </label>
            {form.secretSource === "sender" && (
              <Field
                label="Sender's secret"
                htmlFor="wh-secret"
                error={errors.secret}
                hint={
                  form.scheme === "stripe"
                    ? "The endpoint's signing secret from the Stripe dashboard (whsec_…)."
                    : form.scheme === "slack"
                      ? "Your Slack app's Signing Secret (Basic Information)."
                      : "Stored encrypted; never shown again."
                }
              >
                <Input
                  id="wh-secret"
                  type="password"
                  autoComplete="off"
                  value={form.secret}
                  invalid={!!errors.secret}
                  onChange={(e) => set("secret", e.target.value)}
                />
              </Field>
            )}
          </div>
        )}
      </fieldset>

      <Field label="Target" htmlFor="wh-target" error={errors.target} hint="The worker or workflow each verified event is handed to.">
        <Select
          id="wh-target"
          value={form.target}
          aria-invalid={!!errors.target || undefined}
          onChange={(e) => set("target", e.target.value)}
        >
          <option value="">{targets.isPending ? "Loading…" : "Choose a worker or workflow"}</option>
          {!!targets.data?.workers.length && (
            <optgroup label="Workers">
              {targets.data.workers.map((w) => (
                <option key={w.id} value={`worker:${w.id}`}>
                  {w.name}
                </option>
              ))}
            </optgroup>
          )}
          {!!targets.data?.workflows.length && (
            <optgroup label="Workflows">
              {targets.data.workflows.map((w) => (
                <option key={w.id} value={`workflow:${w.id}`}>
                  {w.name}
                </option>
              ))}
            </optgroup>
          )}
        </Select>
      </Field>
      {none && (
        <p className="text-xs text-amber-700">
          This workspace has no workers or workflows yet.{" "}
          <Link href={`/w/${ws}/agents/workers`} className="font-medium underline">
            Create a worker
          </Link>{" "}
          first.
        </p>
      )}

      <div className="grid gap-3 sm:grid-cols-2">
        <Field
          label="Mode"
          htmlFor="wh-mode"
          hint={form.mode === "async" ? "Answer 202 at once; the target runs later." : "Hold the sender until the run's result."}
        >
          <Select id="wh-mode" value={form.mode} onChange={(e) => set("mode", e.target.value as "async" | "sync")}>
            <option value="async">Async</option>
            <option value="sync">Sync (wait for the result)</option>
          </Select>
        </Field>
        {form.mode === "sync" && (
          <Field label="Timeout (seconds)" htmlFor="wh-timeout" error={errors.syncTimeoutSeconds} hint="1–120; then 504 to the sender.">
            <Input
              id="wh-timeout"
              inputMode="numeric"
              value={form.syncTimeoutSeconds}
              invalid={!!errors.syncTimeoutSeconds}
              onChange={(e) => set("syncTimeoutSeconds", e.target.value)}
            />
          </Field>
        )}
      </div>

      <Field
        label="Redact fields"
        htmlFor="wh-redact"
        error={errors.redactFields}
        hint="Dotted paths masked in the stored payload, one per line, e.g. data.card.number (* matches any key)."
      >
        <Textarea
          id="wh-redact"
          rows={2}
          className="font-mono"
          value={form.redactFields}
          invalid={!!errors.redactFields}
          onChange={(e) => set("redactFields", e.target.value)}
        />
      </Field>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Keep events (days)" htmlFor="wh-retention" error={errors.retentionDays} hint="1–365">
          <Input
            id="wh-retention"
            inputMode="numeric"
            value={form.retentionDays}
            invalid={!!errors.retentionDays}
            onChange={(e) => set("retentionDays", e.target.value)}
          />
        </Field>
        <Field label="Size limit (KiB)" htmlFor="wh-size" error={errors.maxBodyKiB} hint="Larger bodies are refused with 413.">
          <Input
            id="wh-size"
            inputMode="numeric"
            value={form.maxBodyKiB}
            invalid={!!errors.maxBodyKiB}
            onChange={(e) => set("maxBodyKiB", e.target.value)}
          />
        </Field>
      </div>
      {withSecret && (
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={form.enabled} onChange={(e) => set("enabled", e.target.checked)} />
          Enabled (a disabled endpoint refuses every request)
        </label>
      )}
    </div>
  );
}
