"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { usageSettingsSchema, RETENTION_MAX_DAYS, type UsageSettingsDto } from "@/lib/schemas/usage";
import { api } from "@/components/api/client";
import { useSchemaForm } from "@/components/forms/use-schema-form";
import { SettingsForm } from "@/components/forms/settings-form";
import { ErrorBanner } from "@/components/ui/alert";
import { Field, Input } from "@/components/ui/field";
import { SectionHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { usageKeys } from "@/components/usage/keys";

/** Settings → General, "Usage data": how long raw request records are kept (hourly and daily totals are kept). */
export function UsageDataSettings({ workspaceId, canEdit }: { workspaceId: string; canEdit: boolean }) {
  const qc = useQueryClient();
  const settings = useQuery({
    queryKey: usageKeys.settings(workspaceId),
    queryFn: () => api<UsageSettingsDto>(`/workspaces/${workspaceId}/usage-settings`),
  });
  const form = useSchemaForm(usageSettingsSchema, (f) => ({ usageRetentionDays: f.get("usageRetentionDays") }));
  const save = useMutation({
    mutationFn: (input: unknown) => api<UsageSettingsDto>(`/workspaces/${workspaceId}/usage-settings`, { method: "PATCH", body: input }),
    onSuccess: (dto) => qc.setQueryData(usageKeys.settings(workspaceId), dto),
    onError: form.fail,
  });
  return (
    <section className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
      <SectionHeader
        title="Usage data"
        description="Each gateway request is kept as a record (the Logs page, reports filtered across dimensions) for this many days. Hourly and daily totals, which the Usage page reports from, are kept for good."
      />
      <ErrorBanner error={settings.error} />
      {settings.data ? (
        <SettingsForm form={form} save={save} submitLabel="Save retention" canSave={canEdit}>
          <Field
            label="Keep request records for (days)"
            htmlFor="usage-retention"
            error={form.errors.usageRetentionDays}
            hint={`1 to ${RETENTION_MAX_DAYS} days; older records are deleted every few minutes.`}
          >
            <Input
              id="usage-retention"
              name="usageRetentionDays"
              type="number"
              min={1}
              max={RETENTION_MAX_DAYS}
              defaultValue={settings.data.usageRetentionDays}
              key={settings.data.usageRetentionDays}
              readOnly={!canEdit}
              invalid={!!form.errors.usageRetentionDays}
              className="w-32"
            />
          </Field>
        </SettingsForm>
      ) : (
        !settings.error && <Skeleton className="h-16 w-64" />
      )}
    </section>
  );
}
