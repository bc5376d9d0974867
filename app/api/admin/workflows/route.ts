// GET /api/admin/workflows?workspaceId= - a workspace's workflows (search, pages); POST - create one
import { adminRoute, created } from "@/lib/http/admin-route";
import { pageOf } from "@/lib/schemas/dto";
import { agentDtoSchema, agentQuerySchema, agentScopeQuerySchema, createTargetSchema } from "@/lib/schemas/agents";
import { listAgents } from "@/lib/agents/list-agents";
import { createAgent } from "@/lib/agents/create-agent";

export const GET = adminRoute(
  {
    summary: "A workspace's workflows by name (search by name or description)",
    tags: ["Workflows"],
    access: { workspace: "integrations.read" },
    query: agentQuerySchema,
    responses: { 200: pageOf(agentDtoSchema) },
  },
  ({ actor, query }) => listAgents({ actor, kind: "workflow", query }),
);

export const POST = adminRoute(
  {
    summary: "Create a workflow (names are unique in the workspace)",
    description:
      "With a deliveryUrl, webhook events are forwarded there signed with Standard Webhooks; the generated signing secret is answered this once as deliverySecret.",
    tags: ["Workflows"],
    access: { workspace: "integrations.manage" },
    query: agentScopeQuerySchema,
    body: createTargetSchema,
    responses: { 201: agentDtoSchema },
    errors: [403, 409],
  },
  async ({ actor, query, body, requestId }) =>
    created(await createAgent({ actor, kind: "workflow", workspaceId: query.workspaceId, input: body, requestId })),
);
