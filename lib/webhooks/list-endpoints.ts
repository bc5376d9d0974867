import { db } from "../db/client";
import type { Prisma } from "../db/types";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import { notFound } from "../errors";
import type { WebhookDto, WebhookListQuery } from "../schemas/webhooks";
import { toPage, type Page } from "../schemas/zod";
import { requireWebhookAccess } from "./access";
import { getWebhookIn, toWebhookDtos, webhookSelect } from "./endpoint-dto";

/** A workspace's webhook endpoints by name; search by name or description. */
export async function listWebhooks(opts: { actor: Actor; query: WebhookListQuery }): Promise<Page<WebhookDto>> {
  const { actor, query } = opts;
  await requireWorkspacePermission(actor, query.workspaceId, "integrations.read");
  const and: Prisma.WebhookEndpointWhereInput[] = [{ workspaceId: query.workspaceId }];
  if (query.q)
    and.push({ OR: [{ name: { contains: query.q, mode: "insensitive" } }, { description: { contains: query.q, mode: "insensitive" } }] });
  const rows = await db.webhookEndpoint.findMany({
    where: { AND: and },
    select: webhookSelect,
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
  });
  const page = toPage(rows, query.limit);
  return { data: await toWebhookDtos(db, page.data), nextCursor: page.nextCursor };
}

export async function getWebhook(opts: { actor: Actor; endpointId: string }): Promise<WebhookDto> {
  const { workspaceId } = await requireWebhookAccess(opts.actor, opts.endpointId, "integrations.read");
  const dto = await getWebhookIn(db, { id: opts.endpointId, workspaceId });
  if (!dto) throw notFound("Webhook");
  return dto;
}
