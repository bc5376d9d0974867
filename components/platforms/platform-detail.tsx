"use client";

import { DeleteAction } from "@/components/ui/delete-action";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, KeyRound, Plus, PlugZap } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import {
  newPlatformKeySchema,
  PLATFORM_STATUSES,
  updatePlatformKeySchema,
  updatePlatformSchema,
  type ConnectionTest,
  type KeyTestResult,
  type PlatformDto,
  type PlatformKeyDto,
} from "@/lib/schemas/platforms";
import { vendorLabel } from "@/lib/platforms/vendors";
import { api } from "@/components/api/client";
import { FormDialog } from "@/components/forms/form-dialog";
import { useSchemaForm } from "@/components/forms/use-schema-form";
import { ErrorBanner, SuccessNote } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input, Select } from "@/components/ui/field";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { PageHeader, SectionHeader } from "@/components/ui/page-header";
import { Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { platformKeys } from "./keys";
import { PlatformFields, platformFieldsInput } from "./platform-fields";

const keyLabel = (k: { description: string }, i: number) => k.description || `Key ${i + 1}`;
/** Empty means "not given" (the schema's default), not 0. */
const weightInput = (v: FormDataEntryValue | null) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);

function Card({ children, tone }: { children: React.ReactNode; tone?: "danger" }) {
  return (
    <section className={`rounded-lg bg-white p-6 shadow-sm ring-1 ${tone === "danger" ? "ring-red-200" : "ring-slate-200"}`}>
      {children}
    </section>
  );
}

export function PlatformDetail({ ws, initial, canManage }: { ws: string; initial: PlatformDto; canManage: boolean }) {
  const qc = useQueryClient();
  const platform = useQuery({
    queryKey: platformKeys.one(initial.id),
    queryFn: () => api<PlatformDto>(`/platforms/${initial.id}`),
    initialData: initial,
  });
  const p = platform.data;
  const test = useMutation({
    mutationFn: () => api<ConnectionTest>(`/platforms/${p.id}/test`, { method: "POST" }),
    onSettled: () => qc.invalidateQueries({ queryKey: platformKeys.one(p.id) }),
  });
  return (
    <div className="space-y-6">
      <Link href={`/w/${ws}/platforms`} className="inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-800">
        <ArrowLeft className="size-3.5" aria-hidden /> Platforms
      </Link>
      <PageHeader
        title={p.name}
        description={
          <span className="flex flex-wrap items-center gap-1.5">
            <Badge tone="slate">{vendorLabel(p.vendor)}</Badge>
            {p.internal && <Badge tone="violet">internal</Badge>}
            {p.status === "active" ? <Badge tone="green">Active</Badge> : <Badge tone="amber">Disabled</Badge>}
            {p.source === "config" && <Badge tone="violet">config</Badge>}
            <code className="font-mono text-xs">{p.baseUrl}</code>
          </span>
        }
        actions={
          canManage && (
            <Button variant="secondary" onClick={() => test.mutate()} pending={test.isPending} disabled={!p.keys?.length}>
              <PlugZap className="size-4" aria-hidden /> Test connection
            </Button>
          )
        }
      />
      <ErrorBanner error={platform.error} />
      {(test.data || test.error) && <TestResults ws={ws} platformId={p.id} result={test.data} error={test.error} />}
      <KeysSection platform={p} canManage={canManage} />
      <SettingsCard platform={p} canManage={canManage} />
      {canManage && <DeletePlatform ws={ws} platform={p} />}
    </div>
  );
}

function SettingsCard({ platform: p, canManage }: { platform: PlatformDto; canManage: boolean }) {
  const qc = useQueryClient();
  const [saved, setSaved] = useState(false);
  const form = useSchemaForm(updatePlatformSchema, (f) => {
    const fields = platformFieldsInput(f);
    return { ...fields, apiVersion: fields.apiVersion ?? null, status: f.get("status") };
  });
  const save = useMutation({
    mutationFn: (input: unknown) => api<PlatformDto>(`/platforms/${p.id}`, { method: "PATCH", body: input }),
    onSuccess: (next) => {
      setSaved(true);
      qc.setQueryData(platformKeys.one(p.id), next);
      qc.invalidateQueries({ queryKey: platformKeys.lists() });
    },
    onError: form.fail,
  });
  return (
    <Card>
      <SectionHeader
        title="Settings"
        description={
          canManage ? "Where the platform is and how it is called. Keys are managed above." : "Only instance admins can change platforms."
        }
      />
      <form
        noValidate
        aria-label="Platform settings"
        className="max-w-xl space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          const input = form.parse(e.currentTarget);
          if (input) save.mutate(input);
        }}
      >
        <ErrorBanner error={form.formError} />
        <PlatformFields
          idPrefix="platform"
          errors={form.errors}
          readOnly={!canManage}
          initial={{ name: p.name, vendor: p.vendor, baseUrl: p.baseUrl, apiVersion: p.apiVersion, notes: p.notes, internal: p.internal }}
        />
        <Field
          label="Status"
          htmlFor="platform-status"
          error={form.errors.status}
          hint="A disabled platform receives no traffic; its routes fail over to the next one."
        >
          <Select id="platform-status" name="status" defaultValue={p.status} disabled={!canManage}>
            {PLATFORM_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s === "active" ? "Active" : "Disabled"}
              </option>
            ))}
          </Select>
        </Field>
        {canManage && (
          <div className="flex items-center gap-3">
            <Button type="submit" pending={save.isPending}>
              Save changes
            </Button>
            {saved && <SuccessNote>Saved</SuccessNote>}
          </div>
        )}
      </form>
    </Card>
  );
}

function KeysSection({ platform: p, canManage }: { platform: PlatformDto; canManage: boolean }) {
  const keys = p.keys ?? [];
  const totalWeight = keys.filter((k) => k.enabled).reduce((s, k) => s + k.weight, 0);
  return (
    <section aria-label="API keys">
      <SectionHeader
        title="API keys"
        description="Requests are spread over the enabled keys by weight; a key the vendor rate-limits or refuses is put in cooldown while the others keep serving. Values are encrypted and shown only as masks."
        actions={canManage && <AddKeyDialog platform={p} />}
      />
      <Table label="API keys">
        <THead>
          <Th>Description</Th>
          <Th>Key</Th>
          <Th>Weight</Th>
          <Th>Enabled</Th>
          <Th>Check</Th>
          <Th>Last used</Th>
          <Th>Last error</Th>
          <Th className="text-right">
            <span className="sr-only">Actions</span>
          </Th>
        </THead>
        <tbody>
          {keys.length === 0 ? (
            <tr>
              <Td colSpan={8}>
                <EmptyState icon={KeyRound} title="No API keys yet" className="border-0">
                  <p>Add at least one key; add a backup key with its own weight to spread load or keep a standby (weight 0).</p>
                </EmptyState>
              </Td>
            </tr>
          ) : (
            keys.map((k, i) => (
              <KeyRow
                key={k.id}
                platform={p}
                k={k}
                index={i}
                share={k.enabled && totalWeight ? k.weight / totalWeight : 0}
                canManage={canManage}
              />
            ))
          )}
        </tbody>
      </Table>
    </section>
  );
}

function CheckBadge({ status }: { status: PlatformKeyDto["checkStatus"] | KeyTestResult["status"] }) {
  if (status === "valid") return <Badge tone="green">Valid</Badge>;
  if (status === "invalid") return <Badge tone="red">Invalid</Badge>;
  if (status === "error") return <Badge tone="amber">Error</Badge>;
  return <Badge tone="slate">Not checked</Badge>;
}

function KeyRow({
  platform: p,
  k,
  index,
  share,
  canManage,
}: {
  platform: PlatformDto;
  k: PlatformKeyDto;
  index: number;
  share: number;
  canManage: boolean;
}) {
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const label = keyLabel(k, index);
  const invalidate = () => {
    qc.invalidateQueries({ queryKey: platformKeys.one(p.id) });
    qc.invalidateQueries({ queryKey: platformKeys.lists() });
  };
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => api<PlatformKeyDto>(`/platforms/${p.id}/keys/${k.id}`, { method: "PATCH", body: { enabled } }),
    onSuccess: invalidate,
  });
  const remove = useMutation({
    mutationFn: () => api<void>(`/platforms/${p.id}/keys/${k.id}`, { method: "DELETE" }),
    onSuccess: () => {
      setConfirm(false);
      invalidate();
    },
  });
  return (
    <Tr>
      <Td>
        <div className={k.description ? "font-medium text-slate-900" : "text-slate-500 italic"}>{label}</div>
      </Td>
      <Td>
        <code className="font-mono text-xs text-slate-600">{k.mask}</code>
      </Td>
      <Td className="whitespace-nowrap tabular-nums">
        {k.weight}
        {k.enabled && <span className="ml-1 text-xs text-slate-400">({Math.round(share * 100)}%)</span>}
      </Td>
      <Td>
        {canManage ? (
          <div className="flex items-center gap-2">
            <button
              type="button"
              role="switch"
              aria-checked={k.enabled}
              aria-label={`Enabled: ${label}`}
              disabled={toggle.isPending}
              onClick={() => toggle.mutate(!k.enabled)}
              className={`relative inline-flex h-5 w-9 shrink-0 items-center rounded-full transition-colors disabled:opacity-60 ${k.enabled ? "bg-brand-600" : "bg-slate-300"}`}
            >
              <span
                className={`inline-block size-4 rounded-full bg-white shadow transition-transform ${k.enabled ? "translate-x-4.5" : "translate-x-0.5"}`}
              />
            </button>
            <span className="text-xs text-slate-500">{k.enabled ? "On" : "Off"}</span>
          </div>
        ) : (
          <span className="text-xs">{k.enabled ? "On" : "Off"}</span>
        )}
        {toggle.error && <ErrorBanner error={toggle.error} className="mt-1" />}
      </Td>
      <Td>
        <CheckBadge status={k.checkStatus} />
        {k.lastCheckedAt && (
          <div className="mt-0.5 text-xs text-slate-400" title={formatDateTime(k.lastCheckedAt)}>
            {formatRelative(k.lastCheckedAt)}
          </div>
        )}
      </Td>
      <Td className="whitespace-nowrap text-slate-500">
        <span title={formatDateTime(k.lastUsedAt)}>{formatRelative(k.lastUsedAt)}</span>
      </Td>
      <Td className="max-w-xs text-xs text-slate-600">
        {k.lastError ? (
          <span className="line-clamp-2" title={`${k.lastError} (${formatDateTime(k.lastErrorAt)})`}>
            {k.lastError}
          </span>
        ) : (
          <span className="text-slate-400">—</span>
        )}
      </Td>
      <Td className="whitespace-nowrap text-right">
        {canManage && (
          <>
            <EditKeyDialog platform={p} k={k} label={label} />
            <ReplaceKeyDialog platform={p} k={k} label={label} />
            <Button variant="ghost" size="sm" onClick={() => setConfirm(true)}>
              Remove
            </Button>
            <ConfirmDialog
              open={confirm}
              onOpenChange={(o) => {
                setConfirm(o);
                if (!o) remove.reset();
              }}
              title={`Remove key ${label}?`}
              description={
                <p>
                  The key <code className="font-mono">{k.mask}</code> is removed from {p.name} and its stored value destroyed.{" "}
                  {p.keys && p.keys.filter((o) => o.enabled && o.id !== k.id).length > 0
                    ? "The platform's other enabled keys keep serving."
                    : "It is the platform's last enabled key: requests routed here will fail over to other routes, or fail."}
                </p>
              }
              confirmLabel="Remove"
              pending={remove.isPending}
              onConfirm={() => remove.mutate()}
            >
              <ErrorBanner error={remove.error} className="mt-4" />
            </ConfirmDialog>
          </>
        )}
      </Td>
    </Tr>
  );
}

function AddKeyDialog({ platform: p }: { platform: PlatformDto }) {
  const qc = useQueryClient();
  return (
    <FormDialog
      schema={newPlatformKeySchema}
      toInput={(f) => ({
        value: f.get("value"),
        description: f.get("description") ?? "",
        weight: weightInput(f.get("weight")),
        enabled: f.get("enabled") === "on",
      })}
      mutationFn={(input) => api<PlatformKeyDto>(`/platforms/${p.id}/keys`, { method: "POST", body: input })}
      onSuccess={() => {
        qc.invalidateQueries({ queryKey: platformKeys.one(p.id) });
        qc.invalidateQueries({ queryKey: platformKeys.lists() });
      }}
      title={`Add a key to ${p.name}`}
      description="Stored encrypted in the credentials store. Nobody can read it back; lists show a mask."
      trigger={
        <Button>
          <Plus className="size-4" aria-hidden /> Add key
        </Button>
      }
      submitLabel="Add key"
      autoComplete="off"
    >
      {(errors) => (
        <>
          <Field label="API key" htmlFor="key-value" error={errors.value}>
            <Input
              id="key-value"
              name="value"
              type="password"
              autoComplete="new-password"
              spellCheck={false}
              invalid={!!errors.value}
              autoFocus
            />
          </Field>
          <Field label="Description" htmlFor="key-description" error={errors.description} hint="e.g. primary, backup">
            <Input id="key-description" name="description" invalid={!!errors.description} />
          </Field>
          <Field
            label="Weight"
            htmlFor="key-weight"
            error={errors.weight}
            hint="0 to 100, relative to the other enabled keys; 0 keeps it as a standby"
          >
            <Input id="key-weight" name="weight" type="number" min={0} max={100} step={1} defaultValue={1} invalid={!!errors.weight} />
          </Field>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" name="enabled" defaultChecked className="size-4 rounded border-slate-300" /> Enabled
          </label>
        </>
      )}
    </FormDialog>
  );
}

function EditKeyDialog({ platform: p, k, label }: { platform: PlatformDto; k: PlatformKeyDto; label: string }) {
  const qc = useQueryClient();
  return (
    <FormDialog
      schema={updatePlatformKeySchema}
      toInput={(f) => ({ description: f.get("description") ?? "", weight: weightInput(f.get("weight")) })}
      mutationFn={(input) => api<PlatformKeyDto>(`/platforms/${p.id}/keys/${k.id}`, { method: "PATCH", body: input })}
      onSuccess={() => qc.invalidateQueries({ queryKey: platformKeys.one(p.id) })}
      title={`Edit key ${label}`}
      trigger={
        <Button variant="ghost" size="sm">
          Edit
        </Button>
      }
      submitLabel="Save"
    >
      {(errors) => (
        <>
          <Field label="Description" htmlFor={`edit-${k.id}-description`} error={errors.description}>
            <Input
              id={`edit-${k.id}-description`}
              name="description"
              defaultValue={k.description}
              invalid={!!errors.description}
              autoFocus
            />
          </Field>
          <Field label="Weight" htmlFor={`edit-${k.id}-weight`} error={errors.weight} hint="0 to 100">
            <Input
              id={`edit-${k.id}-weight`}
              name="weight"
              type="number"
              min={0}
              max={100}
              step={1}
              defaultValue={k.weight}
              invalid={!!errors.weight}
            />
          </Field>
        </>
      )}
    </FormDialog>
  );
}

function ReplaceKeyDialog({ platform: p, k, label }: { platform: PlatformDto; k: PlatformKeyDto; label: string }) {
  const qc = useQueryClient();
  return (
    <FormDialog
      schema={updatePlatformKeySchema.required({ value: true })}
      toInput={(f) => ({ value: f.get("value") })}
      mutationFn={(input) => api<PlatformKeyDto>(`/platforms/${p.id}/keys/${k.id}`, { method: "PATCH", body: input })}
      onSuccess={() => qc.invalidateQueries({ queryKey: platformKeys.one(p.id) })}
      title={`Replace key ${label}`}
      description={`The current key (${k.mask}) is overwritten; the platform's other keys are not affected. Test the connection afterwards to check it.`}
      trigger={
        <Button variant="ghost" size="sm">
          Replace key
        </Button>
      }
      submitLabel="Replace"
      autoComplete="off"
    >
      {(errors) => (
        <Field label="New key" htmlFor={`replace-${k.id}`} error={errors.value}>
          <Input
            id={`replace-${k.id}`}
            name="value"
            type="password"
            autoComplete="new-password"
            spellCheck={false}
            invalid={!!errors.value}
            autoFocus
          />
        </Field>
      )}
    </FormDialog>
  );
}

function TestResults({ ws, platformId, result, error }: { ws: string; platformId: string; result?: ConnectionTest; error: unknown }) {
  return (
    <Card>
      <SectionHeader
        title="Connection test"
        description={result ? `Checked ${formatDateTime(result.checkedAt)}: every key asked the vendor for its model list.` : undefined}
      />
      <ErrorBanner error={error} />
      {result && (
        <div className="space-y-5">
          <Table label="Key results">
            <THead>
              <Th>Key</Th>
              <Th>Result</Th>
              <Th>Detail</Th>
              <Th>Models</Th>
              <Th>Time</Th>
            </THead>
            <tbody>
              {result.keys.map((k, i) => (
                <Tr key={k.keyId}>
                  <Td>
                    <div className="font-medium text-slate-900">{keyLabel(k, i)}</div>
                    <code className="font-mono text-xs text-slate-500">{k.mask}</code>
                    {!k.enabled && <span className="ml-1 text-xs text-slate-400">(off)</span>}
                  </Td>
                  <Td>
                    <CheckBadge status={k.status} />
                  </Td>
                  <Td className="max-w-md text-xs text-slate-600">{k.error ?? (k.httpStatus ? `HTTP ${k.httpStatus}` : "")}</Td>
                  <Td className="tabular-nums">{k.models.length}</Td>
                  <Td className="whitespace-nowrap tabular-nums text-slate-500">{k.latencyMs} ms</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
          <div>
            <h3 className="mb-2 text-sm font-semibold text-slate-900">Listed models ({result.models.length})</h3>
            {result.note && <p className="mb-2 text-xs text-slate-500">{result.note}</p>}
            {result.models.length ? (
              <ul
                aria-label="Listed models"
                className="max-h-72 divide-y divide-slate-100 overflow-y-auto rounded-md ring-1 ring-slate-200"
              >
                {result.models.map((m) => (
                  <li key={m} className="flex items-center justify-between gap-3 px-3 py-1.5 text-sm">
                    <code className="font-mono text-xs text-slate-700">{m}</code>
                    <Link
                      href={`/w/${ws}/providers/models?register=${encodeURIComponent(m)}&platform=${encodeURIComponent(platformId)}`}
                      className="text-xs font-medium text-brand-700 hover:underline"
                      aria-label={`Register ${m}`}
                    >
                      Register
                    </Link>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-500">No key listed any model.</p>
            )}
          </div>
        </div>
      )}
    </Card>
  );
}

function DeletePlatform({ ws, platform: p }: { ws: string; platform: PlatformDto }) {
  const router = useRouter();
  const qc = useQueryClient();
  const keyCount = p.keys?.length ?? p.keyCount;
  return (
    <Card tone="danger">
      <DeleteAction
        trigger={(open) => (
          <SectionHeader
            title="Delete platform"
            description="Deletes the platform and destroys its keys' stored values. Models must not route to it any more."
            actions={
              <Button variant="danger" onClick={open}>
                Delete platform
              </Button>
            }
          />
        )}
        title={`Delete ${p.name}?`}
        description={
          p.routedModels.length ? (
            <p>
              These models route to this platform: <strong className="font-semibold text-slate-900">{p.routedModels.join(", ")}</strong>.
              Switchboard refuses to delete it until their routes to {p.name} are removed.
            </p>
          ) : (
            <p>
              No model routes to it. Its {keyCount} key{keyCount === 1 ? "" : "s"} and their stored values are destroyed. This cannot be
              undone.
            </p>
          )
        }
        confirmLabel="Delete platform"
        request={() => api<void>(`/platforms/${p.id}`, { method: "DELETE" })}
        onDeleted={() => {
          void qc.invalidateQueries({ queryKey: platformKeys.all });
          router.push(`/w/${ws}/platforms`);
        }}
      />
    </Card>
  );
}
