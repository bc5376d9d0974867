// GET /api/admin/workers?workspaceId= - a workspace's workers (search, pages); POST - create one
import { adminRoute, created } from "@/lib/http/admin-route";
import { pageOf } from "@/lib/schemas/dto";
import { agentDtoSchema, agentQuerySchema, agentScopeQuerySchema, createTargetSchema } from "@/lib/schemas/agents";
import { listAgents } from "@/lib/agents/list-agents";
import { createAgent } from "@/lib/agents/create-agent";

export const GET = adminRoute(
  {
    summary: "A workspace's workers by name (search by name or description)",
    tags: ["Workers"],
    access: { workspace: "integrations.read" },
    query: agentQuerySchema,
    responses: { 200: pageOf(agentDtoSchema) },
  },
  ({ actor, query }) => listAgents({ actor, kind: "worker", query }),
);

export const POST = adminRoute(
  {
    summary: "Create a worker (names are unique in the workspace)",
    description:
      "With a deliveryUrl, webhook events are forwarded there signed with Standard Webhooks; the generated signing secret is answered this once as deliverySecret.",
    tags: ["Workers"],
    access: { workspace: "integrations.manage" },
    query: agentScopeQuerySchema,
    body: createTargetSchema,
    responses: { 201: agentDtoSchema },
    errors: [403, 409],
  },
  async ({ actor, query, body, requestId }) =>
    created(await createAgent({ actor, kind: "worker", workspaceId: query.workspaceId, input: body, requestId })),
);
