"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { WebhookDto } from "@/lib/schemas/webhooks";
import { api, ApiError } from "@/components/api/client";
import { ErrorBanner, SuccessNote } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { formErrors, formFromDto, parseUpdate, type FormErrors, type WebhookFormState } from "@/lib/webhooks/form-state";
import { webhookKeys } from "./keys";
import { WebhookFields } from "./webhook-fields";

/** Edit the endpoint's settings (the secret is rotated from the Secrets tab). */
export function WebhookSettings({ w, ws, canManage }: { w: WebhookDto; ws: string; canManage: boolean }) {
  const qc = useQueryClient();
  const [form, setForm] = useState<WebhookFormState>(() => formFromDto(w));
  const [errors, setErrors] = useState<FormErrors>({});
  const save = useMutation({
    mutationFn: (body: unknown) => api<WebhookDto>(`/webhooks/${w.id}`, { method: "PATCH", body }),
    onSuccess: (next) => {
      qc.setQueryData(webhookKeys.one(w.id), next);
      void qc.invalidateQueries({ queryKey: webhookKeys.all(w.workspaceId) });
      setForm(formFromDto(next));
    },
    onError: (e) => {
      if (e instanceof ApiError && e.errors.length) setErrors(formErrors(e.errors, form));
    },
  });
  const set = <K extends keyof WebhookFormState>(k: K, v: WebhookFormState[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setErrors((e) => (e[k] ? { ...e, [k]: undefined } : e));
    if (save.isSuccess) save.reset();
  };
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const parsed = parseUpdate(form);
    if ("errors" in parsed) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    save.mutate(parsed.data);
  };
  return (
    <form onSubmit={submit} noValidate className="max-w-2xl space-y-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <fieldset disabled={!canManage} className="min-w-0">
        <WebhookFields form={form} set={set} errors={errors} workspaceId={w.workspaceId} ws={ws} withSecret={false} />
      </fieldset>
      {errors.form && <ErrorBanner error={{ message: errors.form }} />}
      <ErrorBanner error={save.error} />
      {save.isSuccess && <SuccessNote>Settings saved.</SuccessNote>}
      {canManage && (
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={() => (setForm(formFromDto(w)), setErrors({}))}>
            Reset
          </Button>
          <Button type="submit" pending={save.isPending}>
            Save settings
          </Button>
        </div>
      )}
    </form>
  );
}
