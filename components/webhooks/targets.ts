"use client";

import { useQuery } from "@tanstack/react-query";
import type { AgentDto } from "@/lib/schemas/agents";
import { api, type Page } from "@/components/api/client";
import { webhookKeys } from "./keys";

/** The workspace's workers and workflows an endpoint may trigger (first 200 of each, by name). */
export function useWebhookTargets(workspaceId: string) {
  return useQuery({
    queryKey: webhookKeys.targets(workspaceId),
    queryFn: async () => {
      const [workers, workflows] = await Promise.all([
        api<Page<AgentDto>>("/workers", { query: { workspaceId, limit: 200 } }),
        api<Page<AgentDto>>("/workflows", { query: { workspaceId, limit: 200 } }),
      ]);
      return { workers: workers.data, workflows: workflows.data };
    },
  });
}
