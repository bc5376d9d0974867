// GET /api/admin/platforms - platforms (search, vendor and status filters, cursor paging)
// POST /api/admin/platforms - create a platform with its API keys (stored in the credentials store)
import { adminRoute, created } from "@/lib/http/admin-route";
import { pageOf } from "@/lib/schemas/dto";
import { createPlatformSchema, platformDtoSchema, platformQuerySchema } from "@/lib/schemas/platforms";
import { createPlatform } from "@/lib/platforms/create-platform";
import { listPlatforms } from "@/lib/platforms/list-platforms";

export const GET = adminRoute(
  {
    summary: "List platforms (search, vendor and status filters)",
    tags: ["Platforms"],
    access: { anyWorkspace: "platforms.read" },
    query: platformQuerySchema,
    responses: { 200: pageOf(platformDtoSchema) },
  },
  ({ actor, query }) => listPlatforms({ actor, query }),
);

export const POST = adminRoute(
  {
    summary: "Create a platform with its API keys (values are stored encrypted, never returned)",
    tags: ["Platforms"],
    access: { instance: "registry.manage" },
    body: createPlatformSchema,
    responses: { 201: platformDtoSchema },
    errors: [409],
  },
  async ({ actor, body, requestId }) => created(await createPlatform({ actor, input: body, requestId })),
);
