// GET /api/admin/credentials/keys - how many secrets each encryption key id protects (instance admins)
import { adminRoute } from "@/lib/http/admin-route";
import { requireInstancePermission } from "@/lib/auth/actor";
import { keyUsageCounts } from "@/lib/credentials/rotate-keys";

export const GET = adminRoute({}, async ({ actor }) => {
  requireInstancePermission(actor, "tokens.manage");
  return { data: await keyUsageCounts(), nextCursor: null };
});
