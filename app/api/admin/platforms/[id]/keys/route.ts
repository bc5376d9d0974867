// POST /api/admin/platforms/{id}/keys - add an API key (the value is stored encrypted and never returned)
import { adminRoute, created } from "@/lib/http/admin-route";
import { newPlatformKeySchema } from "@/lib/schemas/platforms";
import { addPlatformKey } from "@/lib/platforms/add-platform-key";

export const POST = adminRoute({ body: newPlatformKeySchema }, async ({ actor, params, body, requestId }) =>
  created(await addPlatformKey({ actor, platformId: params.id, input: body, requestId })),
);
