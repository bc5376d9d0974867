"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plug, Plus } from "lucide-react";
import { useState } from "react";
import type { McpAssignmentDto } from "@/lib/schemas/agents";
import type { McpServerDto, McpToolDto } from "@/lib/schemas/mcp";
import { api, ApiError, type Page } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog, Dialog, DialogClose, DialogFooter } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Select } from "@/components/ui/field";
import { SectionHeader } from "@/components/ui/page-header";
import { SearchInput } from "@/components/ui/search-input";
import { ListRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { McpStatus } from "@/components/mcp/status";
import type { AssignmentTargetProps } from "./assignments-card";
import { agentKeys } from "./keys";

/** The MCP servers assigned to a worker, node or skill, with the tools picked (like the connectors card). */
export function McpAssignmentsCard({ base, workspaceId, mustPick, canManage, what }: AssignmentTargetProps & { what: string }) {
  const list = useQuery({ queryKey: agentKeys.mcpAssignments(base), queryFn: () => api<Page<McpAssignmentDto>>(`${base}/mcp-servers`) });
  const taken = new Set(list.data?.data.map((a) => a.server.id));
  return (
    <section>
      <SectionHeader
        title="MCP servers"
        description={
          mustPick
            ? `Each MCP server assigned to this ${what} lends the tools picked here.`
            : `Each MCP server assigned to this ${what} lends every enabled tool, or only those picked.`
        }
        actions={canManage && <AddMcpServerDialog base={base} workspaceId={workspaceId} mustPick={mustPick} taken={taken} />}
      />
      <ErrorBanner error={list.error} className="mb-3" />
      <Table label="Assigned MCP servers">
        <THead>
          <Th>MCP server</Th>
          <Th>Tools</Th>
          {canManage && <Th className="sr-only">Actions</Th>}
        </THead>
        <tbody>
          <ListRows
            pending={list.isPending}
            items={list.data?.data}
            columns={canManage ? 3 : 2}
            empty={
              <EmptyState icon={Plug} title="No MCP servers assigned" className="border-0">
                <p>Assign an MCP server of this workspace to hand its tools out here.</p>
              </EmptyState>
            }
          >
            {(a) => (
              <Tr key={a.id}>
                <Td>
                  <span className="font-medium text-slate-800">{a.server.name}</span>{" "}
                  <McpStatus s={{ status: a.server.status as McpServerDto["status"], lastError: "" }} />
                </Td>
                <Td className="text-slate-600">
                  {a.toolNames.length ? <span className="font-mono text-xs">{a.toolNames.join(", ")}</span> : "All enabled tools"}
                </Td>
                {canManage && (
                  <Td className="text-right whitespace-nowrap">
                    <EditToolsDialog base={base} assignment={a} mustPick={mustPick} />
                    <RemoveMcpAssignment base={base} assignment={a} />
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

/** Checkboxes over an MCP server's enabled tools, searchable; the picked names live with the caller. */
function McpToolPicker({
  serverId,
  picked,
  onChange,
  error,
}: {
  serverId: string;
  picked: string[];
  onChange: (n: string[]) => void;
  error?: string;
}) {
  const [q, setQ] = useState("");
  const tools = useQuery({
    queryKey: agentKeys.mcpTools(serverId),
    queryFn: () => api<{ data: McpToolDto[] }>(`/mcp-servers/${serverId}/tools`),
  });
  const enabled = tools.data?.data.filter((t) => t.enabled) ?? [];
  const needle = q.trim().toLowerCase();
  const shown = needle
    ? enabled.filter((t) => t.name.toLowerCase().includes(needle) || t.description.toLowerCase().includes(needle))
    : enabled;
  const toggle = (name: string, on: boolean) => onChange(on ? [...picked, name] : picked.filter((p) => p !== name));
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-700">Tools</legend>
      <SearchInput label="Search tools" value={q} onChange={setQ} />
      <ErrorBanner error={tools.error} />
      <div className="max-h-64 space-y-1 overflow-y-auto rounded-md border border-slate-200 p-2" role="group" aria-label="Tools">
        {tools.isPending && <p className="px-1 py-2 text-sm text-slate-500">Loading…</p>}
        {tools.data && shown.length === 0 && <p className="px-1 py-2 text-sm text-slate-500">No enabled tool matches.</p>}
        {shown.map((t) => (
          <label key={t.name} className="flex cursor-pointer items-start gap-2 rounded px-1 py-1 text-sm hover:bg-slate-50">
            <input
              type="checkbox"
              className="mt-0.5"
              checked={picked.includes(t.name)}
              onChange={(e) => toggle(t.name, e.target.checked)}
            />
            <span className="min-w-0">
              <span className="font-mono text-xs text-slate-800">{t.name}</span>
              {t.description && <span className="block truncate text-xs text-slate-500">{t.description}</span>}
            </span>
          </label>
        ))}
      </div>
      <p className="text-xs text-slate-500">{picked.length} picked</p>
      {error && (
        <p role="alert" className="text-xs text-red-600">
          {error}
        </p>
      )}
    </fieldset>
  );
}

function useInvalidateTarget(base: string) {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: agentKeys.target(base) });
}

function AddMcpServerDialog({ base, workspaceId, mustPick, taken }: Omit<AssignmentTargetProps, "canManage"> & { taken: Set<string> }) {
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState("");
  const [serverId, setServerId] = useState("");
  const [all, setAll] = useState(!mustPick);
  const [picked, setPicked] = useState<string[]>([]);
  const invalidate = useInvalidateTarget(base);
  const choices = useQuery({
    queryKey: agentKeys.mcpServers(workspaceId, q),
    queryFn: () => api<Page<McpServerDto>>("/mcp-servers", { query: { workspaceId, q, limit: 100 } }),
    enabled: open,
    placeholderData: keepPreviousData,
  });
  const add = useMutation({
    mutationFn: () =>
      api<McpAssignmentDto>(`${base}/mcp-servers`, { method: "POST", body: { serverId, ...(all ? {} : { toolNames: picked }) } }),
    onSuccess: () => {
      setOpen(false);
      void invalidate();
    },
  });
  const fieldErrors = add.error instanceof ApiError ? add.error.fieldErrors() : {};
  const reset = () => {
    setQ("");
    setServerId("");
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
      title="Assign an MCP server"
      description="MCP servers of this workspace only. Only tools switched on can be picked."
      trigger={
        <Button>
          <Plus className="size-4" aria-hidden /> Assign MCP server
        </Button>
      }
    >
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (serverId) add.mutate();
        }}
      >
        <ErrorBanner error={choices.error ?? (Object.keys(fieldErrors).length ? null : add.error)} />
        <SearchInput label="Search MCP servers" value={q} onChange={setQ} />
        <Field label="MCP server" htmlFor="assign-mcp-server" error={fieldErrors.serverId}>
          <Select
            id="assign-mcp-server"
            value={serverId}
            onChange={(e) => {
              setServerId(e.target.value);
              setPicked([]);
            }}
          >
            <option value="">{choices.isPending ? "Loading…" : "Choose an MCP server"}</option>
            {choices.data?.data.map((s) => (
              <option key={s.id} value={s.id} disabled={taken.has(s.id)}>
                {s.name}
                {taken.has(s.id) ? " — already assigned" : ""}
              </option>
            ))}
          </Select>
        </Field>
        {serverId && !mustPick && (
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> Every enabled tool (including ones enabled
            later)
          </label>
        )}
        {serverId && !all && (
          <McpToolPicker
            serverId={serverId}
            picked={picked}
            onChange={setPicked}
            error={fieldErrors.toolNames ?? Object.entries(fieldErrors).find(([k]) => k.startsWith("toolNames["))?.[1]}
          />
        )}
        <DialogFooter>
          <DialogClose asChild>
            <Button type="button" variant="secondary">
              Cancel
            </Button>
          </DialogClose>
          <Button type="submit" pending={add.isPending} disabled={!serverId || (!all && picked.length === 0)}>
            Assign
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}

function EditToolsDialog({ base, assignment, mustPick }: { base: string; assignment: McpAssignmentDto; mustPick: boolean }) {
  const [open, setOpen] = useState(false);
  const [all, setAll] = useState(assignment.toolNames.length === 0);
  const [picked, setPicked] = useState(assignment.toolNames);
  const invalidate = useInvalidateTarget(base);
  const save = useMutation({
    mutationFn: () =>
      api<McpAssignmentDto>(`${base}/mcp-servers/${assignment.id}`, { method: "PATCH", body: { toolNames: all ? [] : picked } }),
    onSuccess: () => {
      setOpen(false);
      void invalidate();
    },
  });
  const fieldErrors = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) {
          setAll(!mustPick && assignment.toolNames.length === 0);
          setPicked(assignment.toolNames);
        } else save.reset();
      }}
      title={`Tools of ${assignment.server.name}`}
      trigger={
        <Button variant="ghost" size="sm">
          Tools
        </Button>
      }
    >
      <div className="space-y-4">
        <ErrorBanner error={save.error} />
        {!mustPick && (
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> Every enabled tool
          </label>
        )}
        {!all && (
          <McpToolPicker
            serverId={assignment.server.id}
            picked={picked}
            onChange={setPicked}
            error={Object.entries(fieldErrors).find(([k]) => k.startsWith("toolNames"))?.[1]}
          />
        )}
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

function RemoveMcpAssignment({ base, assignment }: { base: string; assignment: McpAssignmentDto }) {
  const [open, setOpen] = useState(false);
  const invalidate = useInvalidateTarget(base);
  const remove = useMutation({
    mutationFn: () => api<void>(`${base}/mcp-servers/${assignment.id}`, { method: "DELETE" }),
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
        title={`Unassign ${assignment.server.name}?`}
        description={<p>Its tools leave this tool list at once. The MCP server itself is kept.</p>}
        confirmLabel="Unassign"
        pending={remove.isPending}
        onConfirm={() => remove.mutate()}
      >
        <ErrorBanner error={remove.error} className="mt-4" />
      </ConfirmDialog>
    </>
  );
}
