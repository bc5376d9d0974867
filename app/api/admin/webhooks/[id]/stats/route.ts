// GET /api/admin/webhooks/{id}/stats?range=24h|7d|30d - an endpoint's calls over time (the event log's chart)
import { adminRoute } from "@/lib/http/admin-route";
import { webhookStatsQuerySchema, webhookStatsSchema } from "@/lib/schemas/webhook-stats";
import { webhookStats } from "@/lib/webhooks/stats";

export const GET = adminRoute(
  {
    summary: "An incoming webhook's requests per hour (24h) or UTC day (7d, 30d): received, verified, refused, duplicates",
    tags: ["Webhooks"],
    access: { workspace: "integrations.read" },
    query: webhookStatsQuerySchema,
    responses: { 200: webhookStatsSchema },
  },
  ({ actor, params, query }) => webhookStats({ actor, endpointId: params.id, range: query.range }),
);
