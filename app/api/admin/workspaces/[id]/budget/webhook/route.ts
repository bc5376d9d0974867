// PUT/DELETE /api/admin/workspaces/{id}/budget/webhook - set the alert webhook (a generated secret is returned once); clear it
import { adminRoute } from "@/lib/http/admin-route";
import { setAlertWebhookSchema } from "@/lib/schemas/budgets";
import { clearAlertWebhook, setAlertWebhook } from "@/lib/budgets/alert-webhook";

export const PUT = adminRoute({ body: setAlertWebhookSchema }, ({ actor, params, body, requestId }) =>
  setAlertWebhook({ actor, workspaceId: params.id, input: body, requestId }),
);

export const DELETE = adminRoute({}, ({ actor, params, requestId }) => clearAlertWebhook({ actor, workspaceId: params.id, requestId }));
