// GET/PATCH/DELETE /api/admin/credentials/{id} - read (masked), rename or replace the value, delete if unused
import { adminRoute } from "@/lib/http/admin-route";
import { updateCredentialSchema } from "@/lib/schemas/credentials";
import { credentialScope, getCredential } from "@/lib/credentials/list-credentials";
import { updateCredential } from "@/lib/credentials/update-credential";
import { deleteCredential } from "@/lib/credentials/delete-credential";

export const GET = adminRoute({}, async ({ actor, params }) =>
  getCredential({ actor, workspaceId: await credentialScope(params.id), credentialId: params.id }),
);

export const PATCH = adminRoute({ body: updateCredentialSchema }, async ({ actor, params, body, requestId }) =>
  updateCredential({ actor, workspaceId: await credentialScope(params.id), credentialId: params.id, input: body, requestId }),
);

export const DELETE = adminRoute({}, async ({ actor, params, requestId }) =>
  deleteCredential({ actor, workspaceId: await credentialScope(params.id), credentialId: params.id, requestId }),
);
