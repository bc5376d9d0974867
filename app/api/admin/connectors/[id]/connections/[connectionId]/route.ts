// DELETE /api/admin/connectors/{id}/connections/{connectionId} - disconnect an end user
import { adminRoute } from "@/lib/http/admin-route";
import { deleteConnection } from "@/lib/oauth/connections";

export const DELETE = adminRoute(
  {
    summary: "Disconnect an end user: revoke at the provider when the connector has a revocation URL, then delete the tokens",
    description: "Builders and Admins disconnect anyone; other members of the workspace only their own connection.",
    tags: ["Connectors"],
    access: { workspace: "integrations.manage" },
    responses: { 204: null },
  },
  async ({ actor, params, requestId }) => {
    await deleteConnection({ actor, connectorId: params.id, connectionId: params.connectionId, requestId });
  },
);
