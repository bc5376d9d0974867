// GET/PATCH/DELETE /api/admin/keys/{id} - read, change the limits of, or revoke an API key
import { adminRoute } from "@/lib/http/admin-route";
import { updateVirtualKeySchema, virtualKeyDtoSchema, virtualKeyScopeQuerySchema } from "@/lib/schemas/virtual-keys";
import { getVirtualKey } from "@/lib/virtual-keys/list-keys";
import { updateVirtualKey } from "@/lib/virtual-keys/update-key";
import { revokeVirtualKey } from "@/lib/virtual-keys/revoke-key";

export const GET = adminRoute(
  {
    summary: "Get an API key",
    tags: ["API keys"],
    access: { workspace: "gatewayKeys.read" },
    query: virtualKeyScopeQuerySchema,
    responses: { 200: virtualKeyDtoSchema },
  },
  ({ actor, params, query }) => getVirtualKey({ actor, keyId: params.id, workspaceId: query.workspaceId }),
);

export const PATCH = adminRoute(
  {
    summary: "Change an API key's name, owner, allowed models, limits, budget or expiry (null clears)",
    tags: ["API keys"],
    access: { workspace: "gatewayKeys.manage" },
    query: virtualKeyScopeQuerySchema,
    body: updateVirtualKeySchema,
    responses: { 200: virtualKeyDtoSchema },
    errors: [409],
  },
  ({ actor, params, query, body, requestId }) =>
    updateVirtualKey({ actor, keyId: params.id, workspaceId: query.workspaceId, input: body, requestId }),
);

// Revoking is idempotent and keeps the row, so usage records keep naming the key.
export const DELETE = adminRoute(
  {
    summary: "Revoke an API key (idempotent; the key stops working at once)",
    tags: ["API keys"],
    access: { workspace: "gatewayKeys.manage" },
    query: virtualKeyScopeQuerySchema,
    responses: { 200: virtualKeyDtoSchema },
  },
  ({ actor, params, query, requestId }) => revokeVirtualKey({ actor, keyId: params.id, workspaceId: query.workspaceId, requestId }),
);
