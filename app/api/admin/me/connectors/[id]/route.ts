// GET /api/admin/me/connectors/{id} - one connector the caller may connect their own account to, with their connection
import { adminRoute } from "@/lib/http/admin-route";
import { myConnectorDtoSchema } from "@/lib/schemas/oauth-connections";
import { getMyConnector } from "@/lib/oauth/my-connectors";

export const GET = adminRoute(
  {
    summary: "One connector the signed-in person may connect their own account to, with their own connection",
    description: "A connector the caller may not see, or one that does not act on an end user's behalf, is not found.",
    tags: ["Connectors"],
    access: { workspace: "connections.own" },
    responses: { 200: myConnectorDtoSchema },
    errors: [404],
  },
  ({ actor, params }) => getMyConnector({ actor, connectorId: params.id }),
);
