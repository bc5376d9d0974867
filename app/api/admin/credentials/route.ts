// GET /api/admin/credentials?workspaceId= - credentials (masked) of a workspace, or instance-level ones
// POST /api/admin/credentials?workspaceId= - store a new secret (sealed; the value is never returned)
import { adminRoute, created } from "@/lib/http/admin-route";
import { z } from "@/lib/schemas/zod";
import { pageOf } from "@/lib/schemas/dto";
import { createCredentialSchema, credentialDtoSchema, credentialQuerySchema } from "@/lib/schemas/credentials";
import { createCredential } from "@/lib/credentials/create-credential";
import { listCredentials } from "@/lib/credentials/list-credentials";

const scope = z.object({
  workspaceId: z.string().max(64).optional().describe("The workspace; without it, instance-level credentials (instance admins)"),
});
const ACCESS_NOTE = "A workspace's credentials: its Admins (credentials.manage). Instance-level ones: instance admins and admin tokens.";

export const GET = adminRoute(
  {
    summary: "List credentials (masked; never their values)",
    description: ACCESS_NOTE,
    tags: ["Credentials"],
    query: credentialQuerySchema.extend(scope.shape),
    responses: { 200: pageOf(credentialDtoSchema) },
  },
  ({ actor, query }) => listCredentials({ actor, workspaceId: query.workspaceId ?? null, query }),
);

export const POST = adminRoute(
  {
    summary: "Store a new secret (encrypted; the value is never returned)",
    description: ACCESS_NOTE,
    tags: ["Credentials"],
    query: scope,
    body: createCredentialSchema,
    responses: { 201: credentialDtoSchema },
    errors: [409],
  },
  async ({ actor, query, body, requestId }) =>
    created(await createCredential({ actor, workspaceId: query.workspaceId ?? null, input: body, requestId })),
);
