// GET /api/admin/skills?workspaceId= - a workspace's skills (search, pages); POST - create one
import { adminRoute, created } from "@/lib/http/admin-route";
import { pageOf } from "@/lib/schemas/dto";
import { agentDtoSchema, agentQuerySchema, agentScopeQuerySchema, createAgentSchema } from "@/lib/schemas/agents";
import { listAgents } from "@/lib/agents/list-agents";
import { createAgent } from "@/lib/agents/create-agent";

export const GET = adminRoute(
  {
    summary: "A workspace's skills by name (search by name or description)",
    tags: ["Skills"],
    access: { workspace: "integrations.read" },
    query: agentQuerySchema,
    responses: { 200: pageOf(agentDtoSchema) },
  },
  ({ actor, query }) => listAgents({ actor, kind: "skill", query }),
);

export const POST = adminRoute(
  {
    summary: "Create a skill (names are unique in the workspace)",
    tags: ["Skills"],
    access: { workspace: "integrations.manage" },
    query: agentScopeQuerySchema,
    body: createAgentSchema,
    responses: { 201: agentDtoSchema },
    errors: [409],
  },
  async ({ actor, query, body, requestId }) =>
    created(await createAgent({ actor, kind: "skill", workspaceId: query.workspaceId, input: body, requestId })),
);
