// GET /api/admin/keys?workspaceId= - a workspace's API keys (never their values); POST - create one, shown once
import { adminRoute, created } from "@/lib/http/admin-route";
import { createVirtualKeySchema, virtualKeyQuerySchema, virtualKeyScopeQuerySchema } from "@/lib/schemas/virtual-keys";
import { idSchema } from "@/lib/schemas/zod";
import { createVirtualKey } from "@/lib/virtual-keys/create-key";
import { listVirtualKeys } from "@/lib/virtual-keys/list-keys";

export const GET = adminRoute({ query: virtualKeyQuerySchema }, ({ actor, query }) => listVirtualKeys({ actor, query }));

export const POST = adminRoute(
  { body: createVirtualKeySchema, query: virtualKeyScopeQuerySchema.extend({ workspaceId: idSchema }) },
  async ({ actor, body, query, requestId }) => {
    const { value, key } = await createVirtualKey({ actor, workspaceId: query.workspaceId, input: body, requestId });
    return created({ ...key, value });
  },
);
