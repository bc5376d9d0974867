// GET /api/admin/connectors/{id}/connections - end users' OAuth connections (never a token)
import { adminRoute } from "@/lib/http/admin-route";
import { connectionPageSchema, connectionQuerySchema } from "@/lib/schemas/oauth-connections";
import { listConnections } from "@/lib/oauth/connections";

export const GET = adminRoute(
  {
    summary: "A connector's OAuth connections, one per end user: status, scopes, expiry, last refresh and last error; never a token",
    description:
      "Builders and Admins see every end user's connection; other members of the workspace only their own (end user id = their email).",
    tags: ["Connectors"],
    access: { workspace: "integrations.read" },
    query: connectionQuerySchema,
    responses: { 200: connectionPageSchema },
  },
  ({ actor, params, query }) => listConnections({ actor, connectorId: params.id, query }),
);
