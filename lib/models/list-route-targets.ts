import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import { requireModelsRead } from "./access";

export interface RouteTargetDto {
  type: "platform" | "deployment";
  id: string;
  name: string;
  /** Platform vendor or deployment engine. */
  kind: string;
  internal: boolean;
  /** Disabled platforms are listed (existing routes name them) but refused for new routes. */
  active: boolean;
}

/** Platforms and deployments a route may point to, for the routes editor. */
export async function listRouteTargets(opts: { actor: Actor }): Promise<{ data: RouteTargetDto[]; nextCursor: null }> {
  await requireModelsRead(opts.actor);
  const [platforms, deployments] = await Promise.all([
    db.platform.findMany({ select: { id: true, name: true, vendor: true, internal: true, status: true }, orderBy: { name: "asc" } }),
    db.deployment.findMany({ select: { id: true, name: true, engine: true, internal: true }, orderBy: { name: "asc" } }),
  ]);
  return {
    data: [
      ...platforms.map((p) => ({ type: "platform" as const, id: p.id, name: p.name, kind: p.vendor, internal: p.internal, active: p.status === "active" })),
      ...deployments.map((d) => ({ type: "deployment" as const, id: d.id, name: d.name, kind: d.engine, internal: d.internal, active: true })),
    ],
    nextCursor: null,
  };
}
