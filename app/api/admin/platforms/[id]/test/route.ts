// POST /api/admin/platforms/{id}/test - call the vendor's model listing with every key; marks keys valid or invalid
import { adminRoute } from "@/lib/http/admin-route";
import { connectionTestSchema } from "@/lib/schemas/platforms";
import { testPlatformConnection } from "@/lib/platforms/test-connection";

export const POST = adminRoute(
  {
    summary: "Test connection: list the vendor's models with every key and mark each valid or invalid",
    tags: ["Platforms"],
    access: { instance: "registry.manage" },
    responses: { 200: connectionTestSchema },
  },
  ({ actor, params, requestId }) => testPlatformConnection({ actor, platformId: params.id, requestId }),
);
