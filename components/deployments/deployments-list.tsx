"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Boxes, Plus } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { createDeploymentSchema, DEPLOYMENT_ENGINES, ENGINE_LABELS, STRATEGY_LABELS } from "@/lib/schemas/deployments";
import type { DeploymentDetailDto, DeploymentDto } from "@/lib/deployments/deployment-dto";
import { api, type Page } from "@/components/api/client";
import { FormDialog } from "@/components/forms/form-dialog";
import { ErrorBanner } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Select } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination, useCursorPages } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { ListRows, Table, Td, Th, THead, Tr } from "@/components/ui/table";
import { DeploymentFields, InstanceFields } from "./deployment-fields";
import { checked, healthCheckInput, instanceInput, text } from "./form-input";
import { ago, HealthDots } from "./health";
import { deploymentKeys } from "./keys";

export function DeploymentsList({ ws, canManage }: { ws: string; canManage: boolean }) {
  const [q, setQ] = useState("");
  const [engine, setEngine] = useState("");
  const pages = useCursorPages();
  const list = useQuery({
    queryKey: deploymentKeys.list(q, engine, pages.cursor),
    queryFn: () => api<Page<DeploymentDto>>("/deployments", { query: { q, engine: engine || undefined, cursor: pages.cursor, limit: 25 } }),
    placeholderData: keepPreviousData,
    // Instance health changes in the background; keep the dots current.
    refetchInterval: 5000,
  });
  const filtered = !!(q || engine);
  return (
    <div>
      <PageHeader
        title="Deployments"
        description="Self-hosted model servers (vLLM, TGI, SGLang, LMDeploy or any OpenAI-compatible engine). Each instance is health-checked; an unhealthy one leaves rotation until it recovers. Deployments are shared by every workspace."
        actions={canManage && <CreateDeploymentDialog ws={ws} />}
      />
      <div className="mb-3 flex flex-wrap items-end gap-4">
        <SearchInput
          label="Search deployments"
          value={q}
          onChange={(v) => {
            setQ(v);
            pages.reset();
          }}
        />
        <div className="w-56">
          <label htmlFor="deployment-engine-filter" className="mb-1 block text-xs font-medium text-slate-600">
            Engine
          </label>
          <Select
            id="deployment-engine-filter"
            value={engine}
            onChange={(e) => {
              setEngine(e.target.value);
              pages.reset();
            }}
          >
            <option value="">All engines</option>
            {DEPLOYMENT_ENGINES.map((x) => (
              <option key={x} value={x}>
                {ENGINE_LABELS[x]}
              </option>
            ))}
          </Select>
        </div>
      </div>
      <ErrorBanner error={list.error} className="mb-3" />
      <Table label="Deployments">
        <THead>
          <Th>Name</Th>
          <Th>Engine</Th>
          <Th>Served model</Th>
          <Th>Strategy</Th>
          <Th>Instances healthy</Th>
          <Th>Last check</Th>
          <Th>Used by</Th>
        </THead>
        <tbody>
          <ListRows
            pending={list.isPending}
            items={list.data?.data}
            columns={7}
            empty={
              <EmptyState icon={Boxes} title={filtered ? "No deployment matches" : "No deployments yet"} className="border-0">
                {!filtered && (
                  <p>
                    Add a cluster of self-hosted inference servers with its instances; models can then route to it.{" "}
                    {canManage ? "" : "Only an instance admin can add one."}
                  </p>
                )}
              </EmptyState>
            }
          >
            {(d) => (
              <Tr key={d.id}>
                <Td>
                  <Link href={`/w/${ws}/deployments/${d.id}`} className="font-medium text-brand-700 hover:underline">
                    {d.name}
                  </Link>
                  <div className="mt-0.5 flex gap-1">
                    {d.internal && <Badge tone="amber">internal</Badge>}
                    {d.source === "config" && <Badge tone="violet">config</Badge>}
                  </div>
                </Td>
                <Td>{ENGINE_LABELS[d.engine]}</Td>
                <Td>{d.model ? <code className="font-mono text-xs">{d.model}</code> : <span className="text-slate-400">—</span>}</Td>
                <Td>{STRATEGY_LABELS[d.strategy]}</Td>
                <Td>{d.health.total ? <HealthDots health={d.health} /> : <span className="text-slate-400">No instances</span>}</Td>
                <Td className="whitespace-nowrap text-slate-500">{ago(d.lastCheckAt)}</Td>
                <Td className="text-xs text-slate-600">
                  {d.usedBy.length ? d.usedBy.map((m) => m.modelName).join(", ") : <span className="text-slate-400">No models</span>}
                </Td>
              </Tr>
            )}
          </ListRows>
        </tbody>
      </Table>
      <Pagination page={pages.page} hasPrev={pages.page > 1} nextCursor={list.data?.nextCursor} onPrev={pages.prev} onNext={pages.next} />
    </div>
  );
}

function CreateDeploymentDialog({ ws }: { ws: string }) {
  const qc = useQueryClient();
  const router = useRouter();
  return (
    <FormDialog
      schema={createDeploymentSchema}
      toInput={(f) => {
        const first = instanceInput(f);
        return {
          name: text(f, "name") ?? "",
          engine: text(f, "engine"),
          model: text(f, "model") ?? "",
          strategy: text(f, "strategy"),
          internal: checked(f, "internal"),
          healthCheck: healthCheckInput(f),
          instances: first.url ? [{ url: first.url, replicas: first.replicas, gpu: first.gpu }] : [],
        };
      }}
      mutationFn={(input) => api<DeploymentDetailDto>("/deployments", { method: "POST", body: input })}
      onSuccess={(d) => {
        qc.invalidateQueries({ queryKey: deploymentKeys.all });
        router.push(`/w/${ws}/deployments/${d.id}`);
      }}
      title="Add deployment"
      description="A self-hosted model server spoken to through the OpenAI protocol. You can add more instances afterwards."
      trigger={
        <Button>
          <Plus className="size-4" aria-hidden /> Add deployment
        </Button>
      }
      submitLabel="Add deployment"
      autoComplete="off"
    >
      {(errors) => (
        <div className="-mx-1 max-h-[62vh] space-y-4 overflow-y-auto px-1">
          <DeploymentFields errors={errors} idPrefix="new-deployment" />
          <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
            <legend className="px-1 text-xs font-medium text-slate-600">First instance (optional)</legend>
            <InstanceFields errors={errors} idPrefix="new-deployment-instance" pathPrefix="instances.0." full={false} />
          </fieldset>
        </div>
      )}
    </FormDialog>
  );
}
