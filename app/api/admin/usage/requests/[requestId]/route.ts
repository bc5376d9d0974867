// GET /api/admin/usage/requests/{requestId} - one request with its route trace
import { adminRoute } from "@/lib/http/admin-route";
import { usageRequestGetQuerySchema } from "@/lib/schemas/usage";
import { getRequest } from "@/lib/usage/get-request";

export const GET = adminRoute({ query: usageRequestGetQuerySchema }, ({ actor, query, params }) =>
  getRequest({ actor, input: { workspaceId: query.workspaceId, requestId: params.requestId } }),
);
