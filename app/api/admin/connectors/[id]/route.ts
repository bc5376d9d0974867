// GET/PATCH/DELETE /api/admin/connectors/{id} - read, edit (a secret given replaces the stored one), delete
import { adminRoute } from "@/lib/http/admin-route";
import { connectorDtoSchema, updateConnectorSchema } from "@/lib/schemas/connectors";
import { getConnector } from "@/lib/connectors/get-connector";
import { updateConnector } from "@/lib/connectors/update-connector";
import { deleteConnector } from "@/lib/connectors/delete-connector";

export const GET = adminRoute(
  {
    summary: "A connector, its authentication (secrets as masks) and its status",
    tags: ["Connectors"],
    access: { workspace: "integrations.read" },
    responses: { 200: connectorDtoSchema },
  },
  ({ actor, params }) => getConnector({ actor, connectorId: params.id }),
);

export const PATCH = adminRoute(
  {
    summary: "Edit a connector: name, description, base URL, params, pinned version, public, internal (Admins), authentication",
    description: "A secret field left out of auth keeps the stored secret; a secret given replaces it in the same credential.",
    tags: ["Connectors"],
    access: { workspace: "integrations.manage" },
    body: updateConnectorSchema,
    responses: { 200: connectorDtoSchema },
    errors: [409],
  },
  ({ actor, params, body, requestId }) => updateConnector({ actor, connectorId: params.id, input: body, requestId }),
);

export const DELETE = adminRoute(
  {
    summary: "Delete a connector with its assignments and call records, and the credentials only it used",
    tags: ["Connectors"],
    access: { workspace: "integrations.manage" },
    responses: { 204: null },
  },
  ({ actor, params, requestId }) => deleteConnector({ actor, connectorId: params.id, requestId }),
);
