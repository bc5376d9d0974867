// GET /api/admin/usage/requests - a workspace's recent gateway requests, newest first, with filters and cursor paging
import { adminRoute } from "@/lib/http/admin-route";
import { pageOf } from "@/lib/schemas/dto";
import { usageRequestDtoSchema, usageRequestQuerySchema } from "@/lib/schemas/usage";
import { listRequests } from "@/lib/usage/list-requests";

export const GET = adminRoute(
  {
    summary: "A workspace's gateway requests, newest first (status code or class, outcome, model, key, user, agent, time range)",
    tags: ["Usage"],
    access: { workspace: "usage.read" },
    query: usageRequestQuerySchema,
    responses: { 200: pageOf(usageRequestDtoSchema) },
  },
  ({ actor, query }) => listRequests({ actor, input: query }),
);
