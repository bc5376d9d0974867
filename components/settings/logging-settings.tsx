"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  BODY_RETENTION_MAX_DAYS,
  BODY_RETENTION_MIN_DAYS,
  workspaceLoggingSchema,
  type WorkspaceLoggingDto,
} from "@/lib/schemas/workspace-logging";
import { api } from "@/components/api/client";
import { useSchemaForm } from "@/components/forms/use-schema-form";
import { SettingsForm } from "@/components/forms/settings-form";
import { ErrorBanner } from "@/components/ui/alert";
import { Field, Input } from "@/components/ui/field";
import { SectionHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { loggingKeys } from "./keys";

/** Settings > General (Admins): whether the gateway stores request and response bodies of this workspace, and for how long. */
export function LoggingSettings({ workspaceId }: { workspaceId: string }) {
  const qc = useQueryClient();
  const current = useQuery({
    queryKey: loggingKeys.detail(workspaceId),
    queryFn: () => api<WorkspaceLoggingDto>(`/workspaces/${workspaceId}/logging`),
  });
  const form = useSchemaForm(workspaceLoggingSchema, (f) => ({
    storeBodies: f.get("storeBodies") === "on",
    bodyRetentionDays: f.get("bodyRetentionDays"),
  }));
  const save = useMutation({
    mutationFn: (input: unknown) => api<WorkspaceLoggingDto>(`/workspaces/${workspaceId}/logging`, { method: "PATCH", body: input }),
    onSuccess: (data) => qc.setQueryData(loggingKeys.detail(workspaceId), data),
    onError: form.fail,
  });
  const s = current.data;
  return (
    <section className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200" aria-label="Logging">
      <SectionHeader
        title="Logging"
        description="Request and response bodies of gateway calls can be kept for debugging: up to 256 KB each, never the caller's key, and shown in the request trace on the Logs page."
      />
      <ErrorBanner error={current.error} />
      {!s ? (
        current.isPending && <Skeleton className="h-20 w-full max-w-xl" />
      ) : (
        <SettingsForm form={form} save={save} submitLabel="Save logging">
          <label className="flex items-start gap-3 text-sm">
            <input
              type="checkbox"
              name="storeBodies"
              defaultChecked={s.storeBodies}
              className="mt-0.5 size-4 rounded border-slate-300 text-brand-600"
            />
            <span>
              <span className="font-medium text-slate-900">Store request and response bodies</span>
              <span className="block text-slate-500">
                Off by default. Prompts and answers may hold personal data: turn this on only where you need it.
              </span>
            </span>
          </label>
          <Field
            label="Keep bodies for (days)"
            htmlFor="body-retention"
            hint={`${BODY_RETENTION_MIN_DAYS} to ${BODY_RETENTION_MAX_DAYS} days; older bodies are deleted automatically.`}
            error={form.errors.bodyRetentionDays}
          >
            <Input
              id="body-retention"
              name="bodyRetentionDays"
              type="number"
              inputMode="numeric"
              min={BODY_RETENTION_MIN_DAYS}
              max={BODY_RETENTION_MAX_DAYS}
              defaultValue={s.bodyRetentionDays}
              invalid={!!form.errors.bodyRetentionDays}
              className="w-32"
            />
          </Field>
        </SettingsForm>
      )}
    </section>
  );
}
