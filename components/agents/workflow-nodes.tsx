"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ArrowDown, ArrowUp, GitFork, Plus } from "lucide-react";
import { useState } from "react";
import { createNodeSchema, updateNodeSchema, type AgentDto, type NodeDto } from "@/lib/schemas/agents";
import { api } from "@/components/api/client";
import { FormDialog } from "@/components/forms/form-dialog";
import { ErrorBanner } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input } from "@/components/ui/field";
import { SectionHeader } from "@/components/ui/page-header";
import { clsx } from "clsx";
import { AssignmentsCard } from "./assignments-card";
import { McpAssignmentsCard } from "./mcp-assignments-card";
import { agentKeys } from "./keys";
import { ToolsPreview } from "./tools-preview";

/** A workflow's nodes in order (add, rename, move, delete) and the selected node's connectors and tools. */
export function WorkflowNodes({ workflow, canManage }: { workflow: AgentDto; canManage: boolean }) {
  const nodes = workflow.nodes ?? [];
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = nodes.find((n) => n.id === selectedId) ?? nodes[0];
  const refresh = useRefreshWorkflow(workflow);
  const move = useMutation({
    mutationFn: (v: { node: NodeDto; position: number }) =>
      api<NodeDto>(`/workflows/${workflow.id}/nodes/${v.node.id}`, { method: "PATCH", body: { position: v.position } }),
    onSuccess: refresh,
  });
  return (
    <div className="space-y-6">
      <section>
        <SectionHeader
          title="Nodes"
          description="The workflow's steps in order. Each node has its own connectors."
          actions={canManage && <AddNodeDialog workflow={workflow} onAdded={(n) => setSelectedId(n.id)} />}
        />
        <ErrorBanner error={move.error} className="mb-3" />
        {nodes.length === 0 ? (
          <EmptyState icon={GitFork} title="No nodes yet">
            <p>Add the workflow&apos;s first step, then assign it the connectors it needs.</p>
          </EmptyState>
        ) : (
          <ol className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" aria-label="Nodes">
            {nodes.map((n, i) => (
              <li key={n.id} className={clsx("flex items-center gap-3 px-3 py-2", selected?.id === n.id && "bg-brand-50/60")}>
                <span className="w-6 text-right text-xs text-slate-400 tabular-nums">{i + 1}</span>
                <button
                  type="button"
                  className="min-w-0 flex-1 text-left text-sm font-medium text-slate-800 hover:text-brand-700"
                  aria-current={selected?.id === n.id ? "true" : undefined}
                  onClick={() => setSelectedId(n.id)}
                >
                  {n.name}
                  <span className="ml-2 text-xs font-normal text-slate-500">
                    {n.connectorCount} connector{n.connectorCount === 1 ? "" : "s"}
                  </span>
                </button>
                {canManage && (
                  <div className="flex items-center gap-1">
                    <Button
                      variant="ghost"
                      size="sm"
                      aria-label={`Move ${n.name} up`}
                      disabled={i === 0 || move.isPending}
                      onClick={() => move.mutate({ node: n, position: i - 1 })}
                    >
                      <ArrowUp className="size-3.5" aria-hidden />
                    </Button>
                    <Button
                      variant="ghost"
                      size="sm"
                      aria-label={`Move ${n.name} down`}
                      disabled={i === nodes.length - 1 || move.isPending}
                      onClick={() => move.mutate({ node: n, position: i + 1 })}
                    >
                      <ArrowDown className="size-3.5" aria-hidden />
                    </Button>
                    <RenameNodeDialog workflow={workflow} node={n} />
                    <DeleteNode workflow={workflow} node={n} />
                  </div>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>
      {selected && (
        <div className="space-y-6" key={selected.id}>
          <h3 className="text-sm font-semibold text-slate-700">Node: {selected.name}</h3>
          <AssignmentsCard
            base={`/workflows/${workflow.id}/nodes/${selected.id}`}
            workspaceId={workflow.workspaceId}
            mustPick={false}
            canManage={canManage}
            what="node"
          />
          <McpAssignmentsCard
            base={`/workflows/${workflow.id}/nodes/${selected.id}`}
            workspaceId={workflow.workspaceId}
            mustPick={false}
            canManage={canManage}
            what="node"
          />
          <ToolsPreview
            base={`/workflows/${workflow.id}/nodes/${selected.id}`}
            query={`node=${encodeURIComponent(`${workflow.name}/${selected.name}`)}`}
          />
        </div>
      )}
    </div>
  );
}

function useRefreshWorkflow(workflow: AgentDto) {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: agentKeys.one("workflow", workflow.id) });
    void qc.invalidateQueries({ queryKey: agentKeys.all("workflow", workflow.workspaceId) });
  };
}

const text = (f: FormData, k: string) => String(f.get(k) ?? "");

function AddNodeDialog({ workflow, onAdded }: { workflow: AgentDto; onAdded: (n: NodeDto) => void }) {
  const refresh = useRefreshWorkflow(workflow);
  return (
    <FormDialog
      schema={createNodeSchema}
      toInput={(f) => ({ name: text(f, "name") })}
      mutationFn={(input) => api<NodeDto>(`/workflows/${workflow.id}/nodes`, { method: "POST", body: input })}
      onSuccess={(n) => {
        refresh();
        onAdded(n);
      }}
      title="Add a node"
      description="It is added at the end; move it with the arrows."
      trigger={
        <Button>
          <Plus className="size-4" aria-hidden /> Add node
        </Button>
      }
      submitLabel="Add node"
      autoComplete="off"
    >
      {(errors) => (
        <Field label="Name" htmlFor="new-node-name" error={errors.name} hint="Unique in this workflow">
          <Input id="new-node-name" name="name" maxLength={80} autoFocus invalid={!!errors.name} />
        </Field>
      )}
    </FormDialog>
  );
}

function RenameNodeDialog({ workflow, node }: { workflow: AgentDto; node: NodeDto }) {
  const refresh = useRefreshWorkflow(workflow);
  return (
    <FormDialog
      schema={updateNodeSchema}
      toInput={(f) => ({ name: text(f, "name") })}
      mutationFn={(input) => api<NodeDto>(`/workflows/${workflow.id}/nodes/${node.id}`, { method: "PATCH", body: input })}
      onSuccess={refresh}
      title={`Rename ${node.name}`}
      trigger={
        <Button variant="ghost" size="sm" aria-label={`Rename ${node.name}`}>
          Rename
        </Button>
      }
      submitLabel="Save"
      autoComplete="off"
    >
      {(errors) => (
        <Field label="Name" htmlFor={`node-${node.id}-name`} error={errors.name}>
          <Input id={`node-${node.id}-name`} name="name" defaultValue={node.name} maxLength={80} autoFocus invalid={!!errors.name} />
        </Field>
      )}
    </FormDialog>
  );
}

function DeleteNode({ workflow, node }: { workflow: AgentDto; node: NodeDto }) {
  const [open, setOpen] = useState(false);
  const refresh = useRefreshWorkflow(workflow);
  const del = useMutation({
    mutationFn: () => api<void>(`/workflows/${workflow.id}/nodes/${node.id}`, { method: "DELETE" }),
    onSuccess: () => {
      setOpen(false);
      refresh();
    },
  });
  return (
    <>
      <Button variant="ghost" size="sm" aria-label={`Delete ${node.name}`} onClick={() => setOpen(true)}>
        Delete
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(o) => {
          setOpen(o);
          if (!o) del.reset();
        }}
        title={`Delete node ${node.name}?`}
        description={
          <p>
            The node and its {node.connectorCount} connector assignment{node.connectorCount === 1 ? "" : "s"} are deleted; the nodes after
            it move up.
          </p>
        }
        confirmLabel="Delete node"
        pending={del.isPending}
        onConfirm={() => del.mutate()}
      >
        <ErrorBanner error={del.error} className="mt-4" />
      </ConfirmDialog>
    </>
  );
}
