// GET /api/admin/keys?workspaceId= - a workspace's API keys (never their values); POST - create one, shown once
import { adminRoute, created } from "@/lib/http/admin-route";
import { pageOf } from "@/lib/schemas/dto";
import {
  createdVirtualKeyDtoSchema,
  createVirtualKeySchema,
  virtualKeyDtoSchema,
  virtualKeyQuerySchema,
  virtualKeyScopeQuerySchema,
} from "@/lib/schemas/virtual-keys";
import { idSchema } from "@/lib/schemas/zod";
import { createVirtualKey } from "@/lib/virtual-keys/create-key";
import { listVirtualKeys } from "@/lib/virtual-keys/list-keys";

export const GET = adminRoute(
  {
    summary: "A workspace's API keys for the gateway (never their values); search by name, owner or prefix; filter by status",
    tags: ["API keys"],
    access: { workspace: "gatewayKeys.read" },
    query: virtualKeyQuerySchema,
    responses: { 200: pageOf(virtualKeyDtoSchema) },
  },
  ({ actor, query }) => listVirtualKeys({ actor, query }),
);

export const POST = adminRoute(
  {
    summary: "Create an API key in a workspace (?workspaceId=); the value is returned once",
    tags: ["API keys"],
    access: { workspace: "gatewayKeys.manage" },
    query: virtualKeyScopeQuerySchema.extend({ workspaceId: idSchema }),
    body: createVirtualKeySchema,
    responses: { 201: createdVirtualKeyDtoSchema },
    errors: [409],
  },
  async ({ actor, body, query, requestId }) => {
    const { value, key } = await createVirtualKey({ actor, workspaceId: query.workspaceId, input: body, requestId });
    return created({ ...key, value });
  },
);
