// GET /api/admin/usage/requests - a workspace's recent gateway requests, newest first, with filters and cursor paging
import { adminRoute } from "@/lib/http/admin-route";
import { usageRequestQuerySchema } from "@/lib/schemas/usage";
import { listRequests } from "@/lib/usage/list-requests";

export const GET = adminRoute({ query: usageRequestQuerySchema }, ({ actor, query }) => listRequests({ actor, input: query }));
