// GET/PATCH/DELETE /api/admin/credentials/{id} - read (masked), rename or replace the value, delete if unused
import { adminRoute } from "@/lib/http/admin-route";
import { credentialDtoSchema, updateCredentialSchema } from "@/lib/schemas/credentials";
import { credentialScope, getCredential } from "@/lib/credentials/list-credentials";
import { updateCredential } from "@/lib/credentials/update-credential";
import { deleteCredential } from "@/lib/credentials/delete-credential";

const ACCESS_NOTE = "A workspace's credentials: its Admins (credentials.manage). Instance-level ones: instance admins and admin tokens.";

export const GET = adminRoute(
  { summary: "Get a credential (masked)", description: ACCESS_NOTE, tags: ["Credentials"], responses: { 200: credentialDtoSchema } },
  async ({ actor, params }) => getCredential({ actor, workspaceId: await credentialScope(params.id), credentialId: params.id }),
);

export const PATCH = adminRoute(
  {
    summary: "Rename or describe a credential, or replace its value (the old value is never shown)",
    description: ACCESS_NOTE,
    tags: ["Credentials"],
    body: updateCredentialSchema,
    responses: { 200: credentialDtoSchema },
    errors: [409],
  },
  async ({ actor, params, body, requestId }) =>
    updateCredential({ actor, workspaceId: await credentialScope(params.id), credentialId: params.id, input: body, requestId }),
);

export const DELETE = adminRoute(
  {
    summary: "Delete a credential and destroy its value (refused while something uses it)",
    description: ACCESS_NOTE,
    tags: ["Credentials"],
    responses: { 204: null },
    errors: [409],
  },
  async ({ actor, params, requestId }) =>
    deleteCredential({ actor, workspaceId: await credentialScope(params.id), credentialId: params.id, requestId }),
);
