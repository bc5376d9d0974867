// GET /api/admin/tokens - admin tokens (never their values); POST - create one, shown once
import { adminRoute, created } from "@/lib/http/admin-route";
import { z, listQuerySchema } from "@/lib/schemas/zod";
import { createAdminTokenSchema } from "@/lib/schemas/tokens";
import { createAdminToken, listAdminTokens } from "@/lib/tokens/admin-tokens";

const query = listQuerySchema.extend({ includeRevoked: z.stringbool().optional() });

export const GET = adminRoute({ query }, ({ actor, query }) => listAdminTokens({ actor, query }));

export const POST = adminRoute({ body: createAdminTokenSchema }, async ({ actor, body, requestId }) => {
  const { token, adminToken } = await createAdminToken({ actor, input: body, requestId });
  return created({ ...adminToken, token });
});
