// PATCH/DELETE /api/admin/platforms/{id}/keys/{keyId} - change or replace one key, or remove it
import { adminRoute } from "@/lib/http/admin-route";
import { updatePlatformKeySchema } from "@/lib/schemas/platforms";
import { updatePlatformKey } from "@/lib/platforms/update-platform-key";
import { removePlatformKey } from "@/lib/platforms/remove-platform-key";

export const PATCH = adminRoute({ body: updatePlatformKeySchema }, ({ actor, params, body, requestId }) =>
  updatePlatformKey({ actor, platformId: params.id, keyId: params.keyId, input: body, requestId }),
);

export const DELETE = adminRoute({}, ({ actor, params, requestId }) =>
  removePlatformKey({ actor, platformId: params.id, keyId: params.keyId, requestId }),
);
