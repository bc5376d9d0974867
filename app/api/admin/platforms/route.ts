// GET /api/admin/platforms - platforms (search, vendor and status filters, cursor paging)
// POST /api/admin/platforms - create a platform with its API keys (stored in the credentials store)
import { adminRoute, created } from "@/lib/http/admin-route";
import { createPlatformSchema, platformQuerySchema } from "@/lib/schemas/platforms";
import { createPlatform } from "@/lib/platforms/create-platform";
import { listPlatforms } from "@/lib/platforms/list-platforms";

export const GET = adminRoute({ query: platformQuerySchema }, ({ actor, query }) => listPlatforms({ actor, query }));

export const POST = adminRoute({ body: createPlatformSchema }, async ({ actor, body, requestId }) =>
  created(await createPlatform({ actor, input: body, requestId })),
);
