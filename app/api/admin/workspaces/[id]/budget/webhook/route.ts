// PUT/DELETE /api/admin/workspaces/{id}/budget/webhook - set the alert webhook (a generated secret is returned once); clear it
import { adminRoute } from "@/lib/http/admin-route";
import { alertWebhookDtoSchema, setAlertWebhookSchema } from "@/lib/schemas/budgets";
import { clearAlertWebhook, setAlertWebhook } from "@/lib/budgets/alert-webhook";

export const PUT = adminRoute(
  {
    summary: "Set the budget alert webhook (Standard Webhooks signed); without a secret one is generated and returned once",
    tags: ["Budgets"],
    access: { workspace: "budgets.manage" },
    body: setAlertWebhookSchema,
    responses: { 200: alertWebhookDtoSchema },
  },
  ({ actor, params, body, requestId }) => setAlertWebhook({ actor, workspaceId: params.id, input: body, requestId }),
);

export const DELETE = adminRoute(
  {
    summary: "Clear the alert webhook and destroy its secret",
    tags: ["Budgets"],
    access: { workspace: "budgets.manage" },
    responses: { 204: null },
  },
  ({ actor, params, requestId }) => clearAlertWebhook({ actor, workspaceId: params.id, requestId }),
);
