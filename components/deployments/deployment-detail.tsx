"use client";

import { DeleteAction } from "@/components/ui/delete-action";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, Plus, RefreshCw, Server } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import {
  ENGINE_LABELS,
  instanceInputSchema,
  STRATEGY_LABELS,
  updateDeploymentSchema,
  updateInstanceSchema,
} from "@/lib/schemas/deployments";
import type { DeploymentDetailDto, InstanceDto } from "@/lib/deployments/deployment-dto";
import { api } from "@/components/api/client";
import { FormDialog } from "@/components/forms/form-dialog";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader, SectionHeader } from "@/components/ui/page-header";
import { Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { DeploymentFields, InstanceFields } from "./deployment-fields";
import { checked, healthCheckInput, instanceInput, text } from "./form-input";
import { HealthChart, type HealthPoint } from "./health-chart";
import { ago, HealthDots, StateBadge } from "./health";
import { deploymentKeys } from "./keys";

interface History {
  instances: {
    instanceId: string;
    url: string;
    uptime: number | null;
    checks: number;
    failures: number;
    avgLatencyMs: number | null;
    points: HealthPoint[];
  }[];
}

/** Re-renders every second so "4 s ago" stays true between refetches. */
function useNow() {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

export function DeploymentDetail({ ws, initial, canManage }: { ws: string; initial: DeploymentDetailDto; canManage: boolean }) {
  const id = initial.id;
  const detail = useQuery({
    queryKey: deploymentKeys.detail(id),
    queryFn: () => api<DeploymentDetailDto>(`/deployments/${id}`),
    initialData: initial,
    // Health checks run in the background every few seconds; the admin watches states change without reloading.
    refetchInterval: 2000,
  });
  const history = useQuery({
    queryKey: deploymentKeys.history(id, 60),
    queryFn: () => api<History>(`/deployments/${id}/health`, { query: { minutes: 60 } }),
    refetchInterval: 5000,
  });
  const d = detail.data;
  const now = useNow();
  return (
    <div className="space-y-8">
      <div>
        <Link href={`/w/${ws}/deployments`} className="mb-3 inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-800">
          <ArrowLeft className="size-3.5" aria-hidden /> Deployments
        </Link>
        <PageHeader
          title={d.name}
          description={
            <span className="flex flex-wrap items-center gap-2">
              <span>
                {ENGINE_LABELS[d.engine]} · {STRATEGY_LABELS[d.strategy]}
                {d.model && (
                  <>
                    {" · serves "}
                    <code className="font-mono text-xs">{d.model}</code>
                  </>
                )}
              </span>
              {d.internal && <Badge tone="amber">internal</Badge>}
              {d.source === "config" && <Badge tone="violet">config</Badge>}
            </span>
          }
          actions={
            canManage && (
              <>
                <CheckNowButton deploymentId={id} disabled={!d.instances.some((i) => i.enabled)} />
                <EditSettingsDialog deployment={d} />
                <DeleteDeployment ws={ws} deployment={d} />
              </>
            )
          }
        />
        <ErrorBanner error={detail.error} className="mb-3" />
        <dl className="grid grid-cols-2 gap-4 rounded-lg bg-white p-4 text-sm shadow-sm ring-1 ring-slate-200 md:grid-cols-4">
          <Setting label="Instances">{d.health.total ? <HealthDots health={d.health} /> : "None"}</Setting>
          <Setting label="Health check">
            GET <code className="font-mono text-xs">{d.healthCheck.path}</code> every {d.healthCheck.intervalSeconds} s, timeout{" "}
            {d.healthCheck.timeoutMs} ms
          </Setting>
          <Setting label="Thresholds">
            Unhealthy after {d.healthCheck.unhealthyAfter} failures, healthy after {d.healthCheck.healthyAfter} successes
          </Setting>
          <Setting label="Used by">{d.usedBy.length ? d.usedBy.map((m) => m.modelName).join(", ") : "No models yet"}</Setting>
          {d.notes && (
            <div className="col-span-full">
              <Setting label="Notes">{d.notes}</Setting>
            </div>
          )}
        </dl>
      </div>

      <section aria-label="Instances">
        <SectionHeader
          title="Instances"
          description="Enabled instances receive requests unless they are unhealthy. A new or changed instance is checked at once and serves right away; a failed check, or a request that cannot connect to it, takes it out until it is healthy."
          actions={canManage && <AddInstanceDialog deploymentId={id} />}
        />
        <Table label="Instances">
          <THead>
            <Th>URL</Th>
            <Th>State</Th>
            <Th>Last check</Th>
            <Th>Latency</Th>
            <Th>Replicas</Th>
            <Th>GPU</Th>
            <Th>Weight</Th>
            <Th>Last error</Th>
            {canManage && (
              <Th className="text-right">
                <span className="sr-only">Actions</span>
              </Th>
            )}
          </THead>
          <tbody>
            {d.instances.length === 0 ? (
              <tr>
                <Td colSpan={canManage ? 9 : 8}>
                  <EmptyState icon={Server} title="No instances yet" className="border-0">
                    <p>Add the URL of each server of this deployment (its OpenAI-compatible base URL, ending in /v1).</p>
                  </EmptyState>
                </Td>
              </tr>
            ) : (
              d.instances.map((i) => <InstanceRow key={i.id} deploymentId={id} instance={i} canManage={canManage} now={now} />)
            )}
          </tbody>
        </Table>
      </section>

      {d.instances.length > 0 && (
        <section aria-label="Health history">
          <SectionHeader title="Health history" description="Latency of each check over the last hour; red dots are failed checks." />
          <ErrorBanner error={history.error} className="mb-3" />
          <div className="grid gap-4 lg:grid-cols-2">
            {d.instances.map((i) => {
              const h = history.data?.instances.find((x) => x.instanceId === i.id);
              return (
                <div key={i.id}>
                  <p className="mb-1 truncate font-mono text-xs text-slate-600">{i.url}</p>
                  <HealthChart label={`Health history of ${i.url}`} points={h?.points ?? []} uptime={h?.uptime ?? null} />
                </div>
              );
            })}
          </div>
        </section>
      )}
    </div>
  );
}

function Setting({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className="mt-1 text-slate-800">{children}</dd>
    </div>
  );
}

function InstanceRow({
  deploymentId,
  instance: i,
  canManage,
  now,
}: {
  deploymentId: string;
  instance: InstanceDto;
  canManage: boolean;
  now: number;
}) {
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const remove = useMutation({
    mutationFn: () => api<void>(`/deployments/${deploymentId}/instances/${i.id}`, { method: "DELETE" }),
    onSuccess: () => {
      setConfirm(false);
      qc.invalidateQueries({ queryKey: deploymentKeys.all });
    },
  });
  const check = useMutation({
    mutationFn: () => api<DeploymentDetailDto>(`/deployments/${deploymentId}/check`, { method: "POST", body: { instanceId: i.id } }),
    onSuccess: (d) => {
      qc.setQueryData(deploymentKeys.detail(deploymentId), d);
      qc.invalidateQueries({ queryKey: deploymentKeys.all });
    },
  });
  return (
    <Tr>
      <Td>
        <code className="font-mono text-xs text-slate-800">{i.url}</code>
      </Td>
      <Td>
        <StateBadge state={i.state} enabled={i.enabled} />
        {i.enabled && i.state !== "unknown" && i.stateChangedAt && (
          <div className="mt-0.5 text-xs text-slate-400">since {ago(i.stateChangedAt, now)}</div>
        )}
      </Td>
      <Td className="whitespace-nowrap text-slate-500">
        <span title={formatDateTime(i.lastCheckAt)}>{ago(i.lastCheckAt, now)}</span>
      </Td>
      <Td className="tabular-nums text-slate-600">{i.lastLatencyMs === null ? "—" : `${i.lastLatencyMs} ms`}</Td>
      <Td className="tabular-nums">{i.replicas}</Td>
      <Td>{i.gpu || <span className="text-slate-400">—</span>}</Td>
      <Td className="tabular-nums">{i.weight}</Td>
      <Td className="max-w-56 truncate text-xs text-red-700">
        <span title={i.lastError ?? undefined}>{i.lastError ?? ""}</span>
      </Td>
      {canManage && (
        <Td className="whitespace-nowrap text-right">
          <Button
            variant="ghost"
            size="sm"
            pending={check.isPending}
            disabled={!i.enabled}
            onClick={() => check.mutate()}
            aria-label={`Check ${i.url} now`}
          >
            Check
          </Button>
          <EditInstanceDialog deploymentId={deploymentId} instance={i} />
          <Button variant="ghost" size="sm" onClick={() => setConfirm(true)}>
            Remove
          </Button>
          {check.error && (
            <p role="alert" className="mt-1 text-xs text-red-600">
              {check.error.message}
            </p>
          )}
          <ConfirmDialog
            open={confirm}
            onOpenChange={(o) => {
              setConfirm(o);
              if (!o) remove.reset();
            }}
            title="Remove this instance?"
            description={
              <p>
                <code className="font-mono text-xs">{i.url}</code> leaves the deployment with its health history. Requests already in flight
                to it finish.
              </p>
            }
            confirmLabel="Remove"
            pending={remove.isPending}
            onConfirm={() => remove.mutate()}
          >
            <ErrorBanner error={remove.error} className="mt-4" />
          </ConfirmDialog>
        </Td>
      )}
    </Tr>
  );
}

function CheckNowButton({ deploymentId, disabled }: { deploymentId: string; disabled: boolean }) {
  const qc = useQueryClient();
  const check = useMutation({
    mutationFn: () => api<DeploymentDetailDto>(`/deployments/${deploymentId}/check`, { method: "POST", body: {} }),
    onSuccess: (d) => {
      qc.setQueryData(deploymentKeys.detail(deploymentId), d);
      qc.invalidateQueries({ queryKey: deploymentKeys.all });
    },
  });
  return (
    <span className="flex flex-col items-end">
      <Button variant="secondary" pending={check.isPending} disabled={disabled} onClick={() => check.mutate()}>
        <RefreshCw className="size-4" aria-hidden /> Check now
      </Button>
      {check.error && (
        <span role="alert" className="mt-1 text-xs text-red-600">
          {check.error.message}
        </span>
      )}
    </span>
  );
}

function EditSettingsDialog({ deployment: d }: { deployment: DeploymentDetailDto }) {
  const qc = useQueryClient();
  return (
    <FormDialog
      schema={updateDeploymentSchema}
      toInput={(f) => ({
        name: text(f, "name") ?? "",
        engine: text(f, "engine"),
        model: text(f, "model") ?? "",
        strategy: text(f, "strategy"),
        internal: checked(f, "internal"),
        notes: text(f, "notes") ?? "",
        healthCheck: healthCheckInput(f),
      })}
      mutationFn={(input) => api<DeploymentDetailDto>(`/deployments/${d.id}`, { method: "PATCH", body: input })}
      onSuccess={(after) => {
        qc.setQueryData(deploymentKeys.detail(d.id), after);
        qc.invalidateQueries({ queryKey: deploymentKeys.all });
      }}
      title={`Edit ${d.name}`}
      description="New health check settings apply from the next check, which runs at once."
      trigger={<Button variant="secondary">Edit settings</Button>}
      submitLabel="Save"
      autoComplete="off"
    >
      {(errors) => (
        <div className="-mx-1 max-h-[62vh] space-y-4 overflow-y-auto px-1">
          <DeploymentFields errors={errors} d={d} idPrefix={`edit-${d.id}`} />
        </div>
      )}
    </FormDialog>
  );
}

function AddInstanceDialog({ deploymentId }: { deploymentId: string }) {
  const qc = useQueryClient();
  return (
    <FormDialog
      schema={instanceInputSchema}
      toInput={instanceInput}
      mutationFn={(input) => api<InstanceDto>(`/deployments/${deploymentId}/instances`, { method: "POST", body: input })}
      onSuccess={() => qc.invalidateQueries({ queryKey: deploymentKeys.all })}
      title="Add instance"
      description="It is checked at once and serves right away, until a check fails."
      trigger={
        <Button variant="secondary">
          <Plus className="size-4" aria-hidden /> Add instance
        </Button>
      }
      submitLabel="Add instance"
      autoComplete="off"
    >
      {(errors) => <InstanceFields errors={errors} idPrefix={`add-instance-${deploymentId}`} full />}
    </FormDialog>
  );
}

function EditInstanceDialog({ deploymentId, instance: i }: { deploymentId: string; instance: InstanceDto }) {
  const qc = useQueryClient();
  return (
    <FormDialog
      schema={updateInstanceSchema}
      toInput={instanceInput}
      mutationFn={(input) => api<InstanceDto>(`/deployments/${deploymentId}/instances/${i.id}`, { method: "PATCH", body: input })}
      onSuccess={() => qc.invalidateQueries({ queryKey: deploymentKeys.all })}
      title="Edit instance"
      description="Changing the URL, or enabling the instance again, starts its health over: checked at once, serving until a check fails."
      trigger={
        <Button variant="ghost" size="sm">
          Edit
        </Button>
      }
      submitLabel="Save"
      autoComplete="off"
    >
      {(errors) => <InstanceFields errors={errors} idPrefix={`edit-instance-${i.id}`} instance={i} full />}
    </FormDialog>
  );
}

function DeleteDeployment({ ws, deployment: d }: { ws: string; deployment: DeploymentDetailDto }) {
  const qc = useQueryClient();
  const router = useRouter();
  const names = d.usedBy.map((m) => m.modelName);
  return (
    <DeleteAction
      title={`Delete ${d.name}?`}
      description={
        names.length ? (
          <p>
            {names.length === 1 ? "The model " : "The models "}
            <strong>{names.join(", ")}</strong> route{names.length === 1 ? "s" : ""} to this deployment. Switchboard will refuse to delete
            it until those routes are removed.
          </p>
        ) : (
          <p>
            Its {d.instances.length} instance{d.instances.length === 1 ? "" : "s"} and their health history are deleted. No model routes to
            it.
          </p>
        )
      }
      confirmLabel="Delete deployment"
      confirmDisabled={names.length > 0}
      request={() => api<void>(`/deployments/${d.id}`, { method: "DELETE" })}
      onDeleted={() => {
        qc.removeQueries({ queryKey: deploymentKeys.detail(d.id) });
        void qc.invalidateQueries({ queryKey: deploymentKeys.all });
        router.push(`/w/${ws}/deployments`);
      }}
    />
  );
}
