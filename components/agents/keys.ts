// TanStack Query keys for workers, workflows and skills. Mutations invalidate the agent's (or workspace's) keys.
import type { AgentKind } from "@/lib/schemas/agents";

export const agentKeys = {
  all: (kind: AgentKind, workspaceId: string) => ["agents", kind, workspaceId] as const,
  list: (kind: AgentKind, workspaceId: string, filters: { q: string; cursor: string | undefined }) =>
    [...agentKeys.all(kind, workspaceId), "list", filters] as const,
  one: (kind: AgentKind, id: string) => ["agent", kind, id] as const,
  /** A target's assignments and tools; `base` is its admin API path (`/workers/{id}`, `/workflows/{id}/nodes/{nodeId}`). */
  target: (base: string) => ["agent-target", base] as const,
  assignments: (base: string) => [...agentKeys.target(base), "connectors"] as const,
  tools: (base: string) => [...agentKeys.target(base), "tools"] as const,
  mcpAssignments: (base: string) => [...agentKeys.target(base), "mcp-servers"] as const,
  mcpServers: (workspaceId: string, q: string) => ["agent-mcp-server-choices", workspaceId, q] as const,
  mcpTools: (serverId: string) => ["agent-mcp-tool-choices", serverId] as const,
  connectors: (workspaceId: string, q: string) => ["agent-connector-choices", workspaceId, q] as const,
  operations: (providerId: string, q: string) => ["agent-operation-choices", providerId, q] as const,
};

export const KIND_INFO: Record<AgentKind, { plural: string; label: string; labelPlural: string; path: string; blurb: string }> = {
  worker: {
    plural: "workers",
    label: "worker",
    labelPlural: "Workers",
    path: "/agents/workers",
    blurb: "Agents that act on their own. Connectors assigned to a worker are its tools (every enabled operation unless you pick some).",
  },
  workflow: {
    plural: "workflows",
    label: "workflow",
    labelPlural: "Workflows",
    path: "/agents/workflows",
    blurb: "Steps in order. Each node gets its own connectors, so a step only reaches the APIs it needs.",
  },
  skill: {
    plural: "skills",
    label: "skill",
    labelPlural: "Skills",
    path: "/agents/skills",
    blurb: "A named capability: a chosen set of operations of one or more connectors, handed to a model as tools.",
  },
};
