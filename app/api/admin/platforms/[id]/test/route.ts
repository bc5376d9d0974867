// POST /api/admin/platforms/{id}/test - call the vendor's model listing with every key; marks keys valid or invalid
import { adminRoute } from "@/lib/http/admin-route";
import { testPlatformConnection } from "@/lib/platforms/test-connection";

export const POST = adminRoute({}, ({ actor, params, requestId }) => testPlatformConnection({ actor, platformId: params.id, requestId }));
