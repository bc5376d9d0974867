"use client";

import { DeleteAction } from "@/components/ui/delete-action";
import { useQueryClient } from "@tanstack/react-query";
import { createAgentSchema, updateAgentSchema, type AgentDto, type AgentKind } from "@/lib/schemas/agents";
import { api } from "@/components/api/client";
import { FormDialog } from "@/components/forms/form-dialog";
import { Button } from "@/components/ui/button";
import { Field, Input, Textarea } from "@/components/ui/field";
import { agentKeys, KIND_INFO } from "./keys";

const text = (f: FormData, k: string) => String(f.get(k) ?? "");

function NameFields({ errors, kind, initial }: { errors: Record<string, string>; kind: AgentKind; initial?: AgentDto }) {
  const id = initial ? `edit-${kind}` : `new-${kind}`;
  return (
    <div className="space-y-4">
      <Field
        label="Name"
        htmlFor={`${id}-name`}
        error={errors.name}
        hint="Unique in this workspace; letters, digits, spaces and . _ : ( ) & + -"
      >
        <Input id={`${id}-name`} name="name" defaultValue={initial?.name} maxLength={80} autoFocus invalid={!!errors.name} />
      </Field>
      <Field label="Description" htmlFor={`${id}-description`} error={errors.description}>
        <Textarea id={`${id}-description`} name="description" defaultValue={initial?.description} rows={3} invalid={!!errors.description} />
      </Field>
    </div>
  );
}

export function CreateAgentDialog({
  kind,
  workspaceId,
  trigger,
  onCreated,
}: {
  kind: AgentKind;
  workspaceId: string;
  trigger: React.ReactNode;
  onCreated: (a: AgentDto) => void;
}) {
  const qc = useQueryClient();
  return (
    <FormDialog
      schema={createAgentSchema}
      toInput={(f) => ({ name: text(f, "name"), description: text(f, "description") })}
      mutationFn={(input) => api<AgentDto>(`/${KIND_INFO[kind].plural}`, { method: "POST", query: { workspaceId }, body: input })}
      onSuccess={(a) => {
        void qc.invalidateQueries({ queryKey: agentKeys.all(kind, workspaceId) });
        onCreated(a);
      }}
      title={`New ${KIND_INFO[kind].label}`}
      description={KIND_INFO[kind].blurb}
      trigger={trigger}
      submitLabel={`Create ${KIND_INFO[kind].label}`}
      autoComplete="off"
    >
      {(errors) => <NameFields errors={errors} kind={kind} />}
    </FormDialog>
  );
}

export function EditAgentDialog({ agent, trigger }: { agent: AgentDto; trigger: React.ReactNode }) {
  const qc = useQueryClient();
  return (
    <FormDialog
      schema={updateAgentSchema}
      toInput={(f) => ({ name: text(f, "name"), description: text(f, "description") })}
      mutationFn={(input) => api<AgentDto>(`/${KIND_INFO[agent.kind].plural}/${agent.id}`, { method: "PATCH", body: input })}
      onSuccess={(a) => {
        qc.setQueryData(agentKeys.one(agent.kind, agent.id), a);
        void qc.invalidateQueries({ queryKey: agentKeys.all(agent.kind, agent.workspaceId) });
      }}
      title={`Rename ${agent.name}`}
      trigger={trigger}
      submitLabel="Save"
      autoComplete="off"
    >
      {(errors) => <NameFields errors={errors} kind={agent.kind} initial={agent} />}
    </FormDialog>
  );
}

export function DeleteAgentButton({ agent, onDeleted, size }: { agent: AgentDto; onDeleted?: () => void; size?: "sm" | "md" }) {
  const qc = useQueryClient();
  const info = KIND_INFO[agent.kind];
  const nodes = agent.nodes?.length ?? 0;
  return (
    <DeleteAction
      trigger={(open) => (
        <Button variant={size === "sm" ? "ghost" : "danger"} size={size} onClick={open} aria-label={`Delete ${agent.name}`}>
          Delete
        </Button>
      )}
      title={`Delete ${agent.name}?`}
      description={
        <p>
          The {info.label}
          {agent.kind === "workflow" && nodes ? ` and its ${nodes} node${nodes === 1 ? "" : "s"}` : ""} and its {agent.connectorCount}{" "}
          connector assignment{agent.connectorCount === 1 ? "" : "s"} are deleted. Programs asking for its tools get 404. This cannot be
          undone.
        </p>
      }
      confirmLabel={`Delete ${info.label}`}
      request={() => api<void>(`/${info.plural}/${agent.id}`, { method: "DELETE" })}
      onDeleted={() => {
        void qc.invalidateQueries({ queryKey: agentKeys.all(agent.kind, agent.workspaceId) });
        onDeleted?.();
      }}
    />
  );
}
