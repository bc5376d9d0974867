"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { updateWorkspaceSchema } from "@/lib/schemas/workspaces";
import type { WorkspaceDto } from "@/lib/workspaces/workspace-dto";
import { api } from "@/components/api/client";
import { SettingsForm } from "@/components/forms/settings-form";
import { useSchemaForm } from "@/components/forms/use-schema-form";
import { ErrorBanner } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Field, Input, Textarea } from "@/components/ui/field";
import { SectionHeader } from "@/components/ui/page-header";
import { workspaceKeys } from "./keys";

function Card({ children, tone }: { children: React.ReactNode; tone?: "danger" }) {
  return (
    <section className={`rounded-lg bg-white p-6 shadow-sm ring-1 ${tone === "danger" ? "ring-red-200" : "ring-slate-200"}`}>
      {children}
    </section>
  );
}

/** `children`: more cards (e.g. Usage data), shown before the danger zone. */
export function GeneralSettings({
  workspace,
  canEdit,
  canDelete,
  children,
}: {
  workspace: WorkspaceDto;
  canEdit: boolean;
  canDelete: boolean;
  children?: React.ReactNode;
}) {
  const router = useRouter();
  const qc = useQueryClient();
  const form = useSchemaForm(updateWorkspaceSchema, (f) => ({ name: f.get("name"), description: f.get("description") }));
  const save = useMutation({
    mutationFn: (input: unknown) => api<WorkspaceDto>(`/workspaces/${workspace.id}`, { method: "PATCH", body: input }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: workspaceKeys.all });
      // The sidebar and header are server-rendered with the old name.
      router.refresh();
    },
    onError: form.fail,
  });

  return (
    <div className="space-y-6">
      <Card>
        <SectionHeader
          title="Workspace"
          description={canEdit ? "The name appears in the workspace switcher and the audit log." : "Only Admins can change these."}
        />
        <SettingsForm form={form} save={save} submitLabel="Save changes" canSave={canEdit}>
          <Field label="Name" htmlFor="ws-name" error={form.errors.name}>
            <Input id="ws-name" name="name" defaultValue={workspace.name} readOnly={!canEdit} invalid={!!form.errors.name} />
          </Field>
          <Field label="Description" htmlFor="ws-description" error={form.errors.description}>
            <Textarea
              id="ws-description"
              name="description"
              defaultValue={workspace.description}
              readOnly={!canEdit}
              rows={3}
              invalid={!!form.errors.description}
            />
          </Field>
          <Field
            label="Slug"
            htmlFor="ws-slug"
            hint="Part of every console address of this workspace; it does not change when you rename it."
          >
            <Input id="ws-slug" value={workspace.slug} readOnly className="bg-slate-50 font-mono text-slate-500" />
          </Field>
        </SettingsForm>
      </Card>
      {children}
      {canDelete && <DeleteWorkspace workspace={workspace} />}
    </div>
  );
}

function DeleteWorkspace({ workspace }: { workspace: WorkspaceDto }) {
  const router = useRouter();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const del = useMutation({
    mutationFn: () => api<void>(`/workspaces/${workspace.id}`, { method: "DELETE" }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: workspaceKeys.all });
      router.replace("/");
      router.refresh();
    },
  });
  return (
    <Card tone="danger">
      <SectionHeader
        title="Delete workspace"
        description="Deletes the workspace with its memberships and pending invitations. This cannot be undone."
        actions={
          <Button variant="danger" onClick={() => setOpen(true)}>
            Delete workspace
          </Button>
        }
      />
      <ConfirmDialog
        open={open}
        onOpenChange={(o) => {
          setOpen(o);
          if (!o) {
            setTyped("");
            del.reset();
          }
        }}
        title={`Delete ${workspace.name}?`}
        description={
          <p>
            Everyone loses access to this workspace. Type <strong className="font-semibold text-slate-900">{workspace.name}</strong> to
            confirm.
          </p>
        }
        confirmLabel="Delete workspace"
        confirmDisabled={typed !== workspace.name}
        pending={del.isPending}
        onConfirm={() => del.mutate()}
      >
        <div className="mt-4 space-y-3">
          <Field label="Workspace name" htmlFor="confirm-ws-name">
            <Input id="confirm-ws-name" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
          </Field>
          <ErrorBanner error={del.error} />
        </div>
      </ConfirmDialog>
    </Card>
  );
}
