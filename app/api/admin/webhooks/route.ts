// GET /api/admin/webhooks?workspaceId= - a workspace's incoming webhook endpoints; POST - create one (its secret answered once)
import { adminRoute, created } from "@/lib/http/admin-route";
import {
  createWebhookSchema,
  webhookListQuerySchema,
  webhookPageSchema,
  webhookScopeQuerySchema,
  webhookWithSecretDtoSchema,
} from "@/lib/schemas/webhooks";
import { listWebhooks } from "@/lib/webhooks/list-endpoints";
import { createWebhook } from "@/lib/webhooks/create-endpoint";

export const GET = adminRoute(
  {
    summary: "A workspace's incoming webhook endpoints (search by name or description), with 24 h counts",
    tags: ["Webhooks"],
    access: { workspace: "integrations.read" },
    query: webhookListQuerySchema,
    responses: { 200: webhookPageSchema },
  },
  ({ actor, query }) => listWebhooks({ actor, query }),
);

export const POST = adminRoute(
  {
    summary: "Create an incoming webhook endpoint for a worker or workflow of the workspace",
    description:
      "The target is a worker or workflow of the same workspace, by id or name. Without `secret`, a signing secret is generated (Standard Webhooks: whsec_...) and answered in `secret` this once; with it (the sender's own, e.g. Stripe's or Slack's), `secret` is null. The secret is stored as a credential; answers show masks only. Events are received at POST {path}.",
    tags: ["Webhooks"],
    access: { workspace: "integrations.manage" },
    query: webhookScopeQuerySchema,
    body: createWebhookSchema,
    responses: { 201: webhookWithSecretDtoSchema },
    errors: [409],
  },
  async ({ actor, query, body, requestId }) =>
    created(await createWebhook({ actor, workspaceId: query.workspaceId, input: body, requestId })),
);
