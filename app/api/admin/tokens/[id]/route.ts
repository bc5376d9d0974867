// DELETE /api/admin/tokens/{id} - revoke an admin token (it stops working at once)
import { adminRoute } from "@/lib/http/admin-route";
import { revokeAdminToken } from "@/lib/tokens/admin-tokens";

export const DELETE = adminRoute({}, ({ actor, params, requestId }) => revokeAdminToken({ actor, tokenId: params.id, requestId }));
