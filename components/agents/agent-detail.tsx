"use client";

import { useQuery } from "@tanstack/react-query";
import type { AgentDto } from "@/lib/schemas/agents";
import { api } from "@/components/api/client";
import { AgentHeader } from "./agent-header";
import { AssignmentsCard } from "./assignments-card";
import { DeliveryCard } from "./delivery-card";
import { agentKeys, KIND_INFO } from "./keys";
import { McpAssignmentsCard } from "./mcp-assignments-card";
import { WorkerMcpEndpoint } from "./worker-mcp-endpoint";
import { ToolsPreview } from "./tools-preview";
import { WorkflowNodes } from "./workflow-nodes";

/**
 * A worker's or skill's page: its connectors and the tools they make; a workflow's: its nodes, each with those.
 * Workers and workflows also show their webhook delivery (`origin` is this instance's public URL, for examples).
 */
export function AgentDetail({
  initial,
  ws,
  canManage,
  canMarkInternal = false,
  origin = "",
}: {
  initial: AgentDto;
  ws: string;
  canManage: boolean;
  canMarkInternal?: boolean;
  origin?: string;
}) {
  const info = KIND_INFO[initial.kind];
  const agent = useQuery({
    queryKey: agentKeys.one(initial.kind, initial.id),
    queryFn: () => api<AgentDto>(`/${info.plural}/${initial.id}`),
    initialData: initial,
  }).data;
  const base = `/${info.plural}/${agent.id}`;
  return (
    <div className="space-y-6">
      <AgentHeader agent={agent} ws={ws} canManage={canManage} />
      {agent.kind === "workflow" ? (
        <WorkflowNodes workflow={agent} canManage={canManage} />
      ) : (
        <>
          <AssignmentsCard
            base={base}
            workspaceId={agent.workspaceId}
            mustPick={agent.kind === "skill"}
            canManage={canManage}
            what={info.label}
          />
          <McpAssignmentsCard
            base={base}
            workspaceId={agent.workspaceId}
            mustPick={agent.kind === "skill"}
            canManage={canManage}
            what={info.label}
          />
          <ToolsPreview base={base} query={`${agent.kind}=${encodeURIComponent(agent.name)}`} />
          {agent.kind === "worker" && <WorkerMcpEndpoint workerId={agent.id} />}
        </>
      )}
      {agent.kind !== "skill" && <DeliveryCard agent={agent} origin={origin} canManage={canManage} canMarkInternal={canMarkInternal} />}
    </div>
  );
}
