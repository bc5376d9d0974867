// GET /api/admin/connectors?workspaceId= - a workspace's connectors; POST - create one from a workspace provider
import { adminRoute, created } from "@/lib/http/admin-route";
import { pageOf } from "@/lib/schemas/dto";
import { connectorDtoSchema, connectorQuerySchema, connectorScopeQuerySchema, createConnectorSchema } from "@/lib/schemas/connectors";
import { listConnectors } from "@/lib/connectors/list-connectors";
import { createConnector } from "@/lib/connectors/create-connector";

export const GET = adminRoute(
  {
    summary: "A workspace's connectors (search by name, description or provider; filter by provider and status)",
    description: "Admins see every connector; Builders see the public ones and their own.",
    tags: ["Connectors"],
    access: { workspace: "integrations.read" },
    query: connectorQuerySchema,
    responses: { 200: pageOf(connectorDtoSchema) },
  },
  ({ actor, query }) => listConnectors({ actor, query }),
);

export const POST = adminRoute(
  {
    summary: "Create a connector from a provider of the workspace, with its authentication",
    description:
      "The base URL must be one of the provider's servers (its variables filled from params) unless customBaseUrl is set. Each secret is stored as a credential of the workspace; answers show masks only.",
    tags: ["Connectors"],
    access: { workspace: "integrations.manage" },
    query: connectorScopeQuerySchema,
    body: createConnectorSchema,
    responses: { 201: connectorDtoSchema },
    errors: [409],
  },
  async ({ actor, query, body, requestId }) =>
    created(await createConnector({ actor, workspaceId: query.workspaceId, input: body, requestId })),
);
