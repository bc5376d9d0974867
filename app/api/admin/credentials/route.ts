// GET /api/admin/credentials?workspaceId= - credentials (masked) of a workspace, or instance-level ones
// POST /api/admin/credentials?workspaceId= - store a new secret (sealed; the value is never returned)
import { adminRoute, created } from "@/lib/http/admin-route";
import { z } from "@/lib/schemas/zod";
import { createCredentialSchema, credentialQuerySchema } from "@/lib/schemas/credentials";
import { createCredential } from "@/lib/credentials/create-credential";
import { listCredentials } from "@/lib/credentials/list-credentials";

const scope = z.object({ workspaceId: z.string().max(64).optional() });

export const GET = adminRoute({ query: credentialQuerySchema.extend(scope.shape) }, ({ actor, query }) =>
  listCredentials({ actor, workspaceId: query.workspaceId ?? null, query }),
);

export const POST = adminRoute({ query: scope, body: createCredentialSchema }, async ({ actor, query, body, requestId }) =>
  created(await createCredential({ actor, workspaceId: query.workspaceId ?? null, input: body, requestId })),
);
