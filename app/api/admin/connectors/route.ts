// GET /api/admin/connectors?workspaceId= - a workspace's connectors; POST - create one from a workspace provider or a catalog entry
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
    summary: "Create a connector from a provider of the workspace or a central repository entry, with its authentication",
    description:
      "Give exactly one of providerId and catalogId. With catalogId the workspace's provider synced from that entry is used; when there is none, the entry is synced into the workspace (named after its title, made unique) in the same transaction as the connector, so a connector that fails its checks adds no provider; `providerAdded` says whether one was added. The base URL must be one of the provider's servers (its variables filled from params) unless customBaseUrl is set. Each secret is stored as a credential of the workspace; answers show masks only.",
    tags: ["Connectors"],
    access: { workspace: "integrations.manage" },
    query: connectorScopeQuerySchema,
    body: createConnectorSchema,
    responses: { 201: connectorDtoSchema },
    errors: [404, 409],
  },
  async ({ actor, query, body, requestId }) =>
    created(await createConnector({ actor, workspaceId: query.workspaceId, input: body, requestId })),
);
