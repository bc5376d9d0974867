// GET /api/admin/usage/requests/{requestId}/bodies - the stored request and response bodies of one request
import { adminRoute } from "@/lib/http/admin-route";
import { requestBodiesDtoSchema, requestBodiesQuerySchema } from "@/lib/schemas/workspace-logging";
import { getRequestBodies } from "@/lib/usage/get-request-bodies";

export const GET = adminRoute(
  {
    summary: "The stored request and response bodies of one gateway request (when the workspace stores bodies)",
    tags: ["Usage"],
    access: { workspace: "usage.read" },
    query: requestBodiesQuerySchema,
    responses: { 200: requestBodiesDtoSchema },
  },
  ({ actor, query, params }) => getRequestBodies({ actor, input: { workspaceId: query.workspaceId, requestId: params.requestId } }),
);
