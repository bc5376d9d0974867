// POST /api/admin/platforms/{id}/keys - add an API key (the value is stored encrypted and never returned)
import { adminRoute, created } from "@/lib/http/admin-route";
import { newPlatformKeySchema, platformKeyDtoSchema } from "@/lib/schemas/platforms";
import { addPlatformKey } from "@/lib/platforms/add-platform-key";

export const POST = adminRoute(
  {
    summary: "Add an API key (the value is stored encrypted and never returned)",
    tags: ["Platforms"],
    access: { instance: "registry.manage" },
    body: newPlatformKeySchema,
    responses: { 201: platformKeyDtoSchema },
    errors: [409],
  },
  async ({ actor, params, body, requestId }) => created(await addPlatformKey({ actor, platformId: params.id, input: body, requestId })),
);
