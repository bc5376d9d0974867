// GET /api/admin/usage/requests/{requestId} - one request with its route trace
import { adminRoute } from "@/lib/http/admin-route";
import { usageRequestDetailDtoSchema, usageRequestGetQuerySchema } from "@/lib/schemas/usage";
import { getRequest } from "@/lib/usage/get-request";

export const GET = adminRoute(
  {
    summary: "One gateway request with its route trace: every attempt in order and the final outcome",
    tags: ["Usage"],
    access: { workspace: "usage.read" },
    query: usageRequestGetQuerySchema,
    responses: { 200: usageRequestDetailDtoSchema },
  },
  ({ actor, query, params }) => getRequest({ actor, input: { workspaceId: query.workspaceId, requestId: params.requestId } }),
);
