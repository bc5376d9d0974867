// GET /api/admin/me/connectors?workspaceId= - the connectors the caller may connect their own account to, with their connection
import { adminRoute } from "@/lib/http/admin-route";
import { myConnectorPageSchema, myConnectorQuerySchema } from "@/lib/schemas/oauth-connections";
import { listMyConnectors } from "@/lib/oauth/my-connectors";

export const GET = adminRoute(
  {
    summary: "The connectors the signed-in person may connect their own account to, each with their own connection",
    description:
      "Connectors that act on an end user's behalf (oauth-user, hybrid) and that the caller may see (Members: the public ones). Each item carries name, provider, description and scopes, and the caller's own connection (end user id = their email) or null; never settings, secrets or anyone else's connection. Connect with POST /api/admin/connectors/{id}/connect-sessions for the caller's email; disconnect with DELETE /api/admin/connectors/{id}/connections/{connectionId}.",
    tags: ["Connectors"],
    access: { workspace: "connections.own" },
    query: myConnectorQuerySchema,
    responses: { 200: myConnectorPageSchema },
  },
  ({ actor, query }) => listMyConnectors({ actor, query }),
);
