// GET /api/admin/connectors/{id}/calls - the connector's tool calls, newest first (its activity)
import { adminRoute } from "@/lib/http/admin-route";
import { connectorCallPageSchema, connectorCallQuerySchema } from "@/lib/schemas/connector-calls";
import { listConnectorCalls } from "@/lib/connectors/list-calls";

export const GET = adminRoute(
  {
    summary:
      "A connector's tool calls, newest first: operation, status, outcome, latency, end user, agent and key; never bodies or secrets",
    tags: ["Connectors"],
    access: { workspace: "integrations.read" },
    query: connectorCallQuerySchema,
    responses: { 200: connectorCallPageSchema },
  },
  ({ actor, params, query }) => listConnectorCalls({ actor, connectorId: params.id, query }),
);
