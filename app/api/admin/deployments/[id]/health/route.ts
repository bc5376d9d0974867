// GET /api/admin/deployments/{id}/health?minutes= - each instance's check history, uptime and latency
import { adminRoute } from "@/lib/http/admin-route";
import { healthHistoryQuerySchema } from "@/lib/schemas/deployments";
import { healthHistory } from "@/lib/deployments/health-history";

export const GET = adminRoute({ query: healthHistoryQuerySchema }, ({ actor, params, query }) => healthHistory({ actor, deploymentId: params.id, query }));
