// GET /api/admin/credentials/keys - how many secrets each encryption key id protects (instance admins)
import { adminRoute } from "@/lib/http/admin-route";
import { pageOf } from "@/lib/schemas/dto";
import { keyUsageCountSchema } from "@/lib/schemas/credentials";
import { keyUsageCounts } from "@/lib/credentials/rotate-keys";

export const GET = adminRoute(
  {
    summary: "How many secrets each encryption key id protects (the current key first), to know when an old key can go",
    tags: ["Credentials"],
    access: { instance: "tokens.manage" },
    responses: { 200: pageOf(keyUsageCountSchema) },
  },
  async () => ({ data: await keyUsageCounts(), nextCursor: null }),
);
