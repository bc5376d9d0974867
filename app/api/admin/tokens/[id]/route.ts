// DELETE /api/admin/tokens/{id} - revoke an admin token (it stops working at once)
import { adminRoute } from "@/lib/http/admin-route";
import { adminTokenDtoSchema } from "@/lib/schemas/dto";
import { revokeAdminToken } from "@/lib/tokens/admin-tokens";

export const DELETE = adminRoute(
  {
    summary: "Revoke an admin token (idempotent; it stops working at once)",
    tags: ["Admin tokens"],
    access: { instance: "tokens.manage" },
    responses: { 200: adminTokenDtoSchema },
  },
  ({ actor, params, requestId }) => revokeAdminToken({ actor, tokenId: params.id, requestId }),
);
