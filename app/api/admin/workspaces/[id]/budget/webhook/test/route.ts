// POST /api/admin/workspaces/{id}/budget/webhook/test - send a signed budget.test event to the alert webhook
import { adminRoute } from "@/lib/http/admin-route";
import { deliveryResultSchema } from "@/lib/schemas/budgets";
import { testAlertWebhook } from "@/lib/budgets/alert-webhook";

export const POST = adminRoute(
  {
    summary: "Send a signed budget.test event to the alert webhook; says whether the receiver accepted it",
    tags: ["Budgets"],
    access: { workspace: "budgets.manage" },
    responses: { 200: deliveryResultSchema },
  },
  ({ actor, params }) => testAlertWebhook({ actor, workspaceId: params.id }),
);
