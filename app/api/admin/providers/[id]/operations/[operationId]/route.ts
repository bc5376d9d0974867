// PATCH /api/admin/providers/{id}/operations/{operationId} - switch an operation on or off as a tool
import { adminRoute } from "@/lib/http/admin-route";
import { operationDtoSchema, updateOperationSchema } from "@/lib/schemas/providers";
import { setOperationEnabled } from "@/lib/providers/list-operations";

export const PATCH = adminRoute(
  {
    summary: "Switch an operation on or off as a tool (by the operation's row id); re-imports keep it",
    tags: ["API providers"],
    access: { workspace: "integrations.manage" },
    body: updateOperationSchema,
    responses: { 200: operationDtoSchema },
  },
  ({ actor, params, body }) =>
    setOperationEnabled({ actor, providerId: params.id, operationId: params.operationId, enabled: body.enabled }),
);
