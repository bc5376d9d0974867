// GET/PATCH/DELETE /api/admin/keys/{id} - read, change the limits of, or revoke an API key
import { adminRoute } from "@/lib/http/admin-route";
import { updateVirtualKeySchema, virtualKeyScopeQuerySchema } from "@/lib/schemas/virtual-keys";
import { getVirtualKey } from "@/lib/virtual-keys/list-keys";
import { updateVirtualKey } from "@/lib/virtual-keys/update-key";
import { revokeVirtualKey } from "@/lib/virtual-keys/revoke-key";

export const GET = adminRoute({ query: virtualKeyScopeQuerySchema }, ({ actor, params, query }) =>
  getVirtualKey({ actor, keyId: params.id, workspaceId: query.workspaceId }),
);

export const PATCH = adminRoute({ body: updateVirtualKeySchema, query: virtualKeyScopeQuerySchema }, ({ actor, params, query, body, requestId }) =>
  updateVirtualKey({ actor, keyId: params.id, workspaceId: query.workspaceId, input: body, requestId }),
);

// Revoking is idempotent and keeps the row, so usage records keep naming the key.
export const DELETE = adminRoute({ query: virtualKeyScopeQuerySchema }, ({ actor, params, query, requestId }) =>
  revokeVirtualKey({ actor, keyId: params.id, workspaceId: query.workspaceId, requestId }),
);
