// GET /api/admin/usage/requests/{requestId}/bodies - the stored request and response bodies of one request
import { adminRoute } from "@/lib/http/admin-route";
import { requestBodiesQuerySchema } from "@/lib/schemas/workspace-logging";
import { getRequestBodies } from "@/lib/usage/get-request-bodies";

export const GET = adminRoute({ query: requestBodiesQuerySchema }, ({ actor, query, params }) =>
  getRequestBodies({ actor, input: { workspaceId: query.workspaceId, requestId: params.requestId } }),
);
