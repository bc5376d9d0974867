// GET /api/admin/tokens - admin tokens (never their values); POST - create one, shown once
import { adminRoute, created } from "@/lib/http/admin-route";
import { z, listQuerySchema } from "@/lib/schemas/zod";
import { adminTokenDtoSchema, createdAdminTokenSchema, pageOf } from "@/lib/schemas/dto";
import { createAdminTokenSchema } from "@/lib/schemas/tokens";
import { createAdminToken, listAdminTokens } from "@/lib/tokens/admin-tokens";

const query = listQuerySchema.extend({ includeRevoked: z.stringbool().optional() });

export const GET = adminRoute(
  {
    summary: "List admin tokens (never their values)",
    tags: ["Admin tokens"],
    access: { instance: "tokens.manage" },
    query,
    responses: { 200: pageOf(adminTokenDtoSchema) },
  },
  ({ actor, query }) => listAdminTokens({ actor, query }),
);

export const POST = adminRoute(
  {
    summary: "Create an admin token (shown once)",
    tags: ["Admin tokens"],
    access: { instance: "tokens.manage" },
    body: createAdminTokenSchema,
    responses: { 201: createdAdminTokenSchema },
    errors: [409],
  },
  async ({ actor, body, requestId }) => {
    const { token, adminToken } = await createAdminToken({ actor, input: body, requestId });
    return created({ ...adminToken, token });
  },
);
