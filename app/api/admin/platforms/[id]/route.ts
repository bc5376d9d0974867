// GET/PATCH/DELETE /api/admin/platforms/{id} - read (keys masked), change settings, delete if no model routes to it
import { adminRoute } from "@/lib/http/admin-route";
import { platformDtoSchema, updatePlatformSchema } from "@/lib/schemas/platforms";
import { getPlatform } from "@/lib/platforms/get-platform";
import { updatePlatform } from "@/lib/platforms/update-platform";
import { deletePlatform } from "@/lib/platforms/delete-platform";

export const GET = adminRoute(
  {
    summary: "Get a platform with its keys (masked)",
    tags: ["Platforms"],
    access: { anyWorkspace: "platforms.read" },
    responses: { 200: platformDtoSchema },
  },
  ({ actor, params }) => getPlatform({ actor, platformId: params.id }),
);

export const PATCH = adminRoute(
  {
    summary: "Change a platform's settings",
    tags: ["Platforms"],
    access: { instance: "registry.manage" },
    body: updatePlatformSchema,
    responses: { 200: platformDtoSchema },
    errors: [409],
  },
  ({ actor, params, body, requestId }) => updatePlatform({ actor, platformId: params.id, input: body, requestId }),
);

export const DELETE = adminRoute(
  {
    summary: "Delete a platform and its keys (refused while a model routes to it)",
    tags: ["Platforms"],
    access: { instance: "registry.manage" },
    responses: { 204: null },
    errors: [409],
  },
  ({ actor, params, requestId }) => deletePlatform({ actor, platformId: params.id, requestId }),
);
