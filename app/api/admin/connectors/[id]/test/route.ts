// POST /api/admin/connectors/{id}/test - one real request with the connector's credentials; sets its status
import { adminRoute } from "@/lib/http/admin-route";
import { connectionTestDtoSchema } from "@/lib/schemas/connectors";
import { testConnection } from "@/lib/connectors/test-connection";

export const POST = adminRoute(
  {
    summary: "Test a connector's connection and set its status (active, needs_reauth or failing, with the reason)",
    description:
      "Sends a GET operation of the provider that needs no parameters (else a GET of the base URL) through the outbound guard with the credentials applied. 2xx/3xx and a 404 on the base URL: active; 401/403: needs_reauth; 5xx, no answer or a refused private address: failing.",
    tags: ["Connectors"],
    access: { workspace: "integrations.manage" },
    responses: { 200: connectionTestDtoSchema },
  },
  ({ actor, params, requestId }) => testConnection({ actor, connectorId: params.id, requestId }),
);
