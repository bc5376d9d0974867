"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Cable, Plus } from "lucide-react";
import { useState } from "react";
import type { AssignmentDto } from "@/lib/schemas/agents";
import { api, ApiError, type Page } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog, Dialog, DialogClose, DialogFooter } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Select } from "@/components/ui/field";
import { SectionHeader } from "@/components/ui/page-header";
import { SearchInput } from "@/components/ui/search-input";
import { ListRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { agentKeys } from "./keys";
import { OperationPicker } from "./operation-picker";

/** What `GET /api/admin/connectors?workspaceId=` answers per connector (the fields used here). */
interface ConnectorChoice {
  id: string;
  name: string;
  provider: { id: string; name: string };
  public: boolean;
  description?: string;
}

export interface AssignmentTargetProps {
  /** The target's admin API path: `/workers/{id}`, `/skills/{id}`, `/workflows/{id}/nodes/{nodeId}`. */
  base: string;
  workspaceId: string;
  /** Skills must pick operations; workers and nodes take every enabled operation unless they pick some. */
  mustPick: boolean;
  canManage: boolean;
}

export function AssignmentsCard({ base, workspaceId, mustPick, canManage, what }: AssignmentTargetProps & { what: string }) {
  const list = useQuery({ queryKey: agentKeys.assignments(base), queryFn: () => api<Page<AssignmentDto>>(`${base}/connectors`) });
  const taken = new Set(list.data?.data.map((a) => a.connector.id));
  return (
    <section>
      <SectionHeader
        title="Connectors"
        description={
          mustPick
            ? `Each connector assigned to this ${what} lends the operations picked here.`
            : `Each connector assigned to this ${what} lends every enabled operation, or only those picked.`
        }
        actions={canManage && <AddConnectorDialog base={base} workspaceId={workspaceId} mustPick={mustPick} taken={taken} />}
      />
      <ErrorBanner error={list.error} className="mb-3" />
      <Table label="Assigned connectors">
        <THead>
          <Th>Connector</Th>
          <Th>Operations</Th>
          {canManage && <Th className="sr-only">Actions</Th>}
        </THead>
        <tbody>
          <ListRows
            pending={list.isPending}
            items={list.data?.data}
            columns={canManage ? 3 : 2}
            empty={
              <EmptyState icon={Cable} title="No connectors assigned" className="border-0">
                <p>Nothing reaches an external API from here until a connector of this workspace is assigned.</p>
              </EmptyState>
            }
          >
            {(a) => (
              <Tr key={a.id}>
                <Td>
                  <span className="font-medium text-slate-800">{a.connector.name}</span>
                  {!a.connector.public && (
                    <Badge tone="amber" className="ml-1.5">
                      private
                    </Badge>
                  )}
                </Td>
                <Td className="text-slate-600">
                  {a.operationIds.length ? (
                    <span className="font-mono text-xs">{a.operationIds.join(", ")}</span>
                  ) : (
                    "All enabled operations"
                  )}
                </Td>
                {canManage && (
                  <Td className="text-right whitespace-nowrap">
                    <EditOperationsDialog base={base} assignment={a} mustPick={mustPick} />
                    <RemoveAssignment base={base} assignment={a} />
                  </Td>
                )}
              </Tr>
            )}
          </ListRows>
        </tbody>
      </Table>
    </section>
  );
}

function useInvalidateTarget(base: string) {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: agentKeys.target(base) });
}

function AddConnectorDialog({ base, workspaceId, mustPick, taken }: Omit<AssignmentTargetProps, "canManage"> & { taken: Set<string> }) {
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState("");
  const [connectorId, setConnectorId] = useState("");
  const [all, setAll] = useState(!mustPick);
  const [picked, setPicked] = useState<string[]>([]);
  const invalidate = useInvalidateTarget(base);
  const choices = useQuery({
    queryKey: agentKeys.connectors(workspaceId, q),
    queryFn: () => api<Page<ConnectorChoice>>("/connectors", { query: { workspaceId, q, limit: 100 } }),
    enabled: open,
    placeholderData: keepPreviousData,
  });
  const connector = choices.data?.data.find((c) => c.id === connectorId);
  const add = useMutation({
    mutationFn: () =>
      api<AssignmentDto>(`${base}/connectors`, { method: "POST", body: { connectorId, ...(all ? {} : { operationIds: picked }) } }),
    onSuccess: () => {
      setOpen(false);
      void invalidate();
    },
  });
  const fieldErrors = add.error instanceof ApiError ? add.error.fieldErrors() : {};
  const reset = () => {
    setQ("");
    setConnectorId("");
    setAll(!mustPick);
    setPicked([]);
    add.reset();
  };
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) reset();
      }}
      title="Assign a connector"
      description="Connectors of this workspace only. One that is not public can be assigned by its creator or an Admin."
      trigger={
        <Button>
          <Plus className="size-4" aria-hidden /> Assign connector
        </Button>
      }
    >
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (connectorId) add.mutate();
        }}
      >
        <ErrorBanner error={choices.error ?? (Object.keys(fieldErrors).length ? null : add.error)} />
        <SearchInput label="Search connectors" value={q} onChange={setQ} />
        <Field label="Connector" htmlFor="assign-connector" error={fieldErrors.connectorId}>
          <Select
            id="assign-connector"
            value={connectorId}
            onChange={(e) => {
              setConnectorId(e.target.value);
              setPicked([]);
            }}
          >
            <option value="">{choices.isPending ? "Loading…" : "Choose a connector"}</option>
            {choices.data?.data.map((c) => (
              <option key={c.id} value={c.id} disabled={taken.has(c.id)}>
                {c.name}
                {c.public ? "" : " (private)"}
                {taken.has(c.id) ? " — already assigned" : ""}
              </option>
            ))}
          </Select>
        </Field>
        {connector && !mustPick && (
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> Every enabled operation (including ones
            enabled later)
          </label>
        )}
        {connector && !all && (
          <OperationPicker
            providerId={connector.provider.id}
            picked={picked}
            onChange={setPicked}
            error={fieldErrors.operationIds ?? Object.entries(fieldErrors).find(([k]) => k.startsWith("operationIds["))?.[1]}
          />
        )}
        <DialogFooter>
          <DialogClose asChild>
            <Button type="button" variant="secondary">
              Cancel
            </Button>
          </DialogClose>
          <Button type="submit" pending={add.isPending} disabled={!connectorId || (!all && picked.length === 0)}>
            Assign
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

function EditOperationsDialog({ base, assignment, mustPick }: { base: string; assignment: AssignmentDto; mustPick: boolean }) {
  const [open, setOpen] = useState(false);
  const [all, setAll] = useState(assignment.operationIds.length === 0);
  const [picked, setPicked] = useState(assignment.operationIds);
  const invalidate = useInvalidateTarget(base);
  const save = useMutation({
    mutationFn: () =>
      api<AssignmentDto>(`${base}/connectors/${assignment.id}`, { method: "PATCH", body: { operationIds: all ? [] : picked } }),
    onSuccess: () => {
      setOpen(false);
      void invalidate();
    },
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) {
          setAll(!mustPick && assignment.operationIds.length === 0);
          setPicked(assignment.operationIds);
        } else save.reset();
      }}
      title={`Operations of ${assignment.connector.name}`}
      trigger={
        <Button variant="ghost" size="sm">
          Operations
        </Button>
      }
    >
      <div className="space-y-4">
        <ErrorBanner error={save.error} />
        {!mustPick && (
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> Every enabled operation
          </label>
        )}
        {!all && <OperationPicker providerId={assignment.connector.providerId} picked={picked} onChange={setPicked} />}
        <DialogFooter>
          <DialogClose asChild>
            <Button type="button" variant="secondary">
              Cancel
            </Button>
          </DialogClose>
          <Button pending={save.isPending} disabled={!all && picked.length === 0} onClick={() => save.mutate()}>
            Save
          </Button>
        </DialogFooter>
      </div>
    </Dialog>
  );
}

function RemoveAssignment({ base, assignment }: { base: string; assignment: AssignmentDto }) {
  const [open, setOpen] = useState(false);
  const invalidate = useInvalidateTarget(base);
  const remove = useMutation({
    mutationFn: () => api<void>(`${base}/connectors/${assignment.id}`, { method: "DELETE" }),
    onSuccess: () => {
      setOpen(false);
      void invalidate();
    },
  });
  return (
    <>
      <Button variant="ghost" size="sm" onClick={() => setOpen(true)}>
        Unassign
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(o) => {
          setOpen(o);
          if (!o) remove.reset();
        }}
        title={`Unassign ${assignment.connector.name}?`}
        description={<p>Its operations leave this tool list at once. The connector itself is kept.</p>}
        confirmLabel="Unassign"
        pending={remove.isPending}
        onConfirm={() => remove.mutate()}
      >
        <ErrorBanner error={remove.error} className="mt-4" />
      </ConfirmDialog>
    </>
  );
}
