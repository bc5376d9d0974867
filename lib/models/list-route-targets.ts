import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import type { z } from "../schemas/zod";
import type { routeTargetDtoSchema } from "../schemas/models";
import { requireModelsRead } from "./access";

export type RouteTargetDto = z.output<typeof routeTargetDtoSchema>;

/** Platforms and deployments a route may point to, for the routes editor. */
export async function listRouteTargets(opts: { actor: Actor }): Promise<{ data: RouteTargetDto[]; nextCursor: null }> {
  await requireModelsRead(opts.actor);
  const [platforms, deployments] = await Promise.all([
    db.platform.findMany({ select: { id: true, name: true, vendor: true, internal: true, status: true }, orderBy: { name: "asc" } }),
    db.deployment.findMany({ select: { id: true, name: true, engine: true, internal: true }, orderBy: { name: "asc" } }),
  ]);
  return {
    data: [
      ...platforms.map((p) => ({
        type: "platform" as const,
        id: p.id,
        name: p.name,
        kind: p.vendor,
        internal: p.internal,
        active: p.status === "active",
      })),
      ...deployments.map((d) => ({
        type: "deployment" as const,
        id: d.id,
        name: d.name,
        kind: d.engine,
        internal: d.internal,
        active: true,
      })),
    ],
    nextCursor: null,
  };
}
