// PATCH/DELETE /api/admin/platforms/{id}/keys/{keyId} - change or replace one key, or remove it
import { adminRoute } from "@/lib/http/admin-route";
import { platformKeyDtoSchema, updatePlatformKeySchema } from "@/lib/schemas/platforms";
import { updatePlatformKey } from "@/lib/platforms/update-platform-key";
import { removePlatformKey } from "@/lib/platforms/remove-platform-key";

export const PATCH = adminRoute(
  {
    summary: "Change a key's description, weight or on/off, or replace its value",
    tags: ["Platforms"],
    access: { instance: "registry.manage" },
    body: updatePlatformKeySchema,
    responses: { 200: platformKeyDtoSchema },
  },
  ({ actor, params, body, requestId }) => updatePlatformKey({ actor, platformId: params.id, keyId: params.keyId, input: body, requestId }),
);

export const DELETE = adminRoute(
  {
    summary: "Remove a key and destroy its stored value",
    tags: ["Platforms"],
    access: { instance: "registry.manage" },
    responses: { 204: null },
    errors: [409],
  },
  ({ actor, params, requestId }) => removePlatformKey({ actor, platformId: params.id, keyId: params.keyId, requestId }),
);
