// GET /api/admin/deployments/{id}/health?minutes= - each instance's check history, uptime and latency
import { adminRoute } from "@/lib/http/admin-route";
import { healthHistoryQuerySchema, healthHistorySchema } from "@/lib/schemas/deployments";
import { healthHistory } from "@/lib/deployments/health-history";

export const GET = adminRoute(
  {
    summary: "Health check history per instance for a time window",
    tags: ["Deployments"],
    access: { anyWorkspace: "deployments.read" },
    query: healthHistoryQuerySchema,
    responses: { 200: healthHistorySchema },
  },
  ({ actor, params, query }) => healthHistory({ actor, deploymentId: params.id, query }),
);
