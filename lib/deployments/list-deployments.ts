import { db } from "../db/client";
import type { Prisma } from "../db/types";
import type { Actor } from "../auth/actor";
import { notFound } from "../errors";
import type { DeploymentQuery } from "../schemas/deployments";
import { toPage } from "../schemas/zod";
import { requireDeploymentsRead } from "./access";
import { deploymentInclude, toDeploymentDetailDto, toDeploymentDto } from "./deployment-dto";

export async function listDeployments(opts: { actor: Actor; query: DeploymentQuery }) {
  const { query } = opts;
  await requireDeploymentsRead(opts.actor);
  const where: Prisma.DeploymentWhereInput = {};
  if (query.engine) where.engine = query.engine;
  if (query.q) {
    const contains = { contains: query.q, mode: "insensitive" as const };
    where.OR = [{ name: contains }, { servedModel: contains }, { notes: contains }, { instances: { some: { url: contains } } }];
  }
  const rows = await db.deployment.findMany({
    where,
    include: deploymentInclude,
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: query.limit + 1,
    ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
  });
  const page = toPage(rows, query.limit);
  return { data: page.data.map(toDeploymentDto), nextCursor: page.nextCursor };
}

export async function getDeployment(opts: { actor: Actor; deploymentId: string }) {
  await requireDeploymentsRead(opts.actor);
  const row = await db.deployment.findUnique({ where: { id: opts.deploymentId }, include: deploymentInclude });
  if (!row) throw notFound("Deployment");
  return toDeploymentDetailDto(row);
}
