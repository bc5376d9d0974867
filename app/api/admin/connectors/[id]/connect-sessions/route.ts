// POST /api/admin/connectors/{id}/connect-sessions - a connect link for an end user
import { adminRoute, created } from "@/lib/http/admin-route";
import { connectSessionDtoSchema, createConnectSessionSchema } from "@/lib/schemas/oauth-connections";
import { createConnectSession } from "@/lib/oauth/connect-session";

export const POST = adminRoute(
  {
    summary: "Create a connect link for an end user: Switchboard's consent page, no sign-in needed, single use, valid 10 minutes",
    description:
      "The url is absolute under SWITCHBOARD_PUBLIC_URL. Builders and Admins create links for any end user id; a signed-in member may create one for their own email.",
    tags: ["Connectors"],
    access: { workspace: "integrations.manage" },
    body: createConnectSessionSchema,
    responses: { 201: connectSessionDtoSchema },
  },
  async ({ actor, params, body, req, requestId }) =>
    created(await createConnectSession({ actor, connectorId: params.id, input: body, requestOrigin: new URL(req.url).origin, requestId })),
);
