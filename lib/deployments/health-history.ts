import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import { notFound } from "../errors";
import type { HealthHistoryQuery } from "../schemas/deployments";
import { requireDeploymentsRead } from "./access";

const MAX_POINTS = 720;

/** Each instance's checks in the last `minutes` (newest 720 at most), with uptime and mean latency over them. */
export async function healthHistory(opts: { actor: Actor; deploymentId: string; query: HealthHistoryQuery; now?: Date }) {
  await requireDeploymentsRead(opts.actor);
  const to = opts.now ?? new Date();
  const from = new Date(to.getTime() - opts.query.minutes * 60_000);
  const d = await db.deployment.findUnique({
    where: { id: opts.deploymentId },
    select: {
      instances: {
        where: opts.query.instanceId ? { id: opts.query.instanceId } : {},
        select: { id: true, url: true },
        orderBy: [{ position: "asc" }, { createdAt: "asc" }],
      },
    },
  });
  if (!d) throw notFound("Deployment");
  const instances = await Promise.all(
    d.instances.map(async (inst) => {
      const rows = await db.healthCheck.findMany({
        where: { instanceId: inst.id, at: { gte: from, lte: to } },
        orderBy: { at: "desc" },
        take: MAX_POINTS,
        select: { at: true, ok: true, latencyMs: true, httpStatus: true, error: true },
      });
      rows.reverse();
      const okRows = rows.filter((r) => r.ok);
      const latencies = okRows.map((r) => r.latencyMs).filter((l): l is number => l !== null);
      return {
        instanceId: inst.id,
        url: inst.url,
        checks: rows.length,
        failures: rows.length - okRows.length,
        uptime: rows.length ? okRows.length / rows.length : null,
        avgLatencyMs: latencies.length ? Math.round(latencies.reduce((a, b) => a + b, 0) / latencies.length) : null,
        points: rows.map((r) => ({ at: r.at.toISOString(), ok: r.ok, latencyMs: r.latencyMs, httpStatus: r.httpStatus, error: r.error })),
      };
    }),
  );
  return { from: from.toISOString(), to: to.toISOString(), instances };
}
