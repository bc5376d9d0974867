"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { WebhookWithSecretDto } from "@/lib/schemas/webhooks";
import { api, ApiError } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogFooter } from "@/components/ui/dialog";
import { EMPTY_FORM, formErrors, parseCreate, type FormErrors, type WebhookFormState } from "@/lib/webhooks/form-state";
import { SecretReveal } from "./secret-reveal";
import { WebhookFields } from "./webhook-fields";

/** Create an endpoint, then show its URL and secret once with how to configure the sender. */
export function WebhookDialog({
  workspaceId,
  ws,
  origin,
  trigger,
  onCreated,
}: {
  workspaceId: string;
  ws: string;
  /** SWITCHBOARD_PUBLIC_URL or the console's own origin. */
  origin: string;
  trigger: React.ReactNode;
  /** After the reveal is closed: the new endpoint's page. */
  onCreated: (w: WebhookWithSecretDto) => void;
}) {
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<WebhookFormState>(EMPTY_FORM);
  const [errors, setErrors] = useState<FormErrors>({});
  const save = useMutation({
    mutationFn: (body: unknown) => api<WebhookWithSecretDto>("/webhooks", { method: "POST", query: { workspaceId }, body }),
    onError: (e) => {
      if (e instanceof ApiError && e.errors.length) setErrors(formErrors(e.errors, form));
    },
  });
  const created = save.data;
  const set = <K extends keyof WebhookFormState>(k: K, v: WebhookFormState[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    // An input's error goes once it is edited; the rest stay until the next submit.
    setErrors((e) => (e[k] ? { ...e, [k]: undefined } : e));
  };
  const close = () => {
    setOpen(false);
    if (created) onCreated(created);
    setForm(EMPTY_FORM);
    setErrors({});
    save.reset();
  };
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const parsed = parseCreate(form);
    if ("errors" in parsed) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    save.mutate(parsed.data);
  };
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => (o ? setOpen(true) : close())}
      trigger={trigger}
      title={created ? `${created.name} is ready` : "New incoming webhook"}
      description={
        created
          ? "Point the sender at this URL. Events appear in the endpoint's event log."
          : "A URL that verifies the sender's signature and hands each event to a worker or workflow."
      }
    >
      {created ? (
        <>
          <div className="-mr-2 max-h-[62vh] overflow-y-auto pr-2">
            <SecretReveal url={`${origin}${created.path}`} secret={created.secret} scheme={created.scheme} options={created.options} />
          </div>
          <DialogFooter>
            <Button onClick={close}>Done</Button>
          </DialogFooter>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          <div className="-mr-2 max-h-[62vh] overflow-y-auto pr-2">
            <WebhookFields form={form} set={set} errors={errors} workspaceId={workspaceId} ws={ws} withSecret />
          </div>
          {errors.form && <ErrorBanner error={{ message: errors.form }} className="mt-4" />}
          <ErrorBanner error={save.error} className="mt-4" />
          <DialogFooter>
            <Button type="submit" pending={save.isPending}>
              Create endpoint
            </Button>
          </DialogFooter>
        </form>
      )}
    </Dialog>
  );
}
