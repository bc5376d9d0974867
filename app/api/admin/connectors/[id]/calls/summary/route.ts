// GET /api/admin/connectors/{id}/calls/summary - calls and errors per hour (the activity chart)
import { adminRoute } from "@/lib/http/admin-route";
import { connectorCallSummaryQuerySchema, connectorCallSummarySchema } from "@/lib/schemas/connector-calls";
import { summarizeConnectorCalls } from "@/lib/connectors/list-calls";

export const GET = adminRoute(
  {
    summary: "A connector's tool calls and errors per hour over the last `hours` hours (default 24)",
    tags: ["Connectors"],
    access: { workspace: "integrations.read" },
    query: connectorCallSummaryQuerySchema,
    responses: { 200: connectorCallSummarySchema },
  },
  ({ actor, params, query }) => summarizeConnectorCalls({ actor, connectorId: params.id, hours: query.hours }),
);
