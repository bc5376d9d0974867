// GET/PATCH/DELETE /api/admin/platforms/{id} - read (keys masked), change settings, delete if no model routes to it
import { adminRoute } from "@/lib/http/admin-route";
import { updatePlatformSchema } from "@/lib/schemas/platforms";
import { getPlatform } from "@/lib/platforms/get-platform";
import { updatePlatform } from "@/lib/platforms/update-platform";
import { deletePlatform } from "@/lib/platforms/delete-platform";

export const GET = adminRoute({}, ({ actor, params }) => getPlatform({ actor, platformId: params.id }));

export const PATCH = adminRoute({ body: updatePlatformSchema }, ({ actor, params, body, requestId }) =>
  updatePlatform({ actor, platformId: params.id, input: body, requestId }),
);

export const DELETE = adminRoute({}, ({ actor, params, requestId }) => deletePlatform({ actor, platformId: params.id, requestId }));
