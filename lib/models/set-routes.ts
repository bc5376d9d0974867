import { db } from "../db/client";
import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { AppError, notFound, type FieldProblem } from "../errors";
import type { RouteInput, SetRoutesInput } from "../schemas/models";
import { requireModelsManage } from "./access";
import { routeInclude, routeOrderBy, toRouteDtos, type RouteDto } from "./model-dto";
import { orderRoutes } from "./route-order";
import { registryWrite } from "../gateway/registry-write";

/** Field problems for routes whose platform or deployment is missing or disabled, or that repeat another route. */
export async function routeTargetProblems(tx: Tx, routes: RouteInput[], prefix = "routes"): Promise<FieldProblem[]> {
  const platformIds = [...new Set(routes.map((r) => r.platformId).filter((x): x is string => !!x))];
  const deploymentIds = [...new Set(routes.map((r) => r.deploymentId).filter((x): x is string => !!x))];
  const [platforms, deployments] = await Promise.all([
    tx.platform.findMany({ where: { id: { in: platformIds } }, select: { id: true, name: true, status: true } }),
    tx.deployment.findMany({ where: { id: { in: deploymentIds } }, select: { id: true } }),
  ]);
  const byId = new Map(platforms.map((p) => [p.id, p]));
  const deploymentSet = new Set(deployments.map((d) => d.id));
  const problems: FieldProblem[] = [];
  const seen = new Map<string, number>();
  routes.forEach((r, i) => {
    if (r.platformId) {
      const p = byId.get(r.platformId);
      if (!p) problems.push({ path: `${prefix}[${i}].platformId`, message: "No such platform" });
      else if (p.status !== "active") problems.push({ path: `${prefix}[${i}].platformId`, message: `Platform "${p.name}" is disabled` });
    } else if (r.deploymentId && !deploymentSet.has(r.deploymentId)) {
      problems.push({ path: `${prefix}[${i}].deploymentId`, message: "No such deployment" });
    }
    const key = `${r.platformId ?? ""}|${r.deploymentId ?? ""}|${r.upstreamModel.toLowerCase()}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({
        path: `${prefix}[${i}].${r.platformId ? "platformId" : "deploymentId"}`,
        message: `Same target and upstream model as route ${first + 1}`,
      });
    } else seen.set(key, i);
  });
  return problems;
}

const timeoutSummary = ({ connectMs, firstTokenMs, totalMs }: RouteDto["timeouts"]) =>
  connectMs === null && firstTokenMs === null && totalMs === null
    ? ""
    : ` · timeouts ${connectMs ?? "-"}/${firstTokenMs ?? "-"}/${totalMs ?? "-"} ms`;

export const routeSummary = (r: RouteDto) =>
  `${r.position} · ${r.targetName}${r.targetType === "deployment" ? " (self-hosted)" : ""} · ${r.effectiveUpstreamModel} · p${r.priority} w${r.weight}${r.enabled ? "" : " (off)"}${timeoutSummary(r.timeouts)}`;

/**
 * Replaces a model's routes inside `tx`; targets must already be valid (see routeTargetProblems). Records one
 * audit entry with the chain before and after. Returns the new chain in failover order.
 */
export async function replaceRoutesIn(
  tx: Tx,
  opts: { actor: Actor; model: { id: string; name: string }; routes: RouteInput[]; requestId?: string; audit?: boolean },
): Promise<RouteDto[]> {
  const { model } = opts;
  const before = toRouteDtos(
    model.name,
    await tx.modelRoute.findMany({ where: { modelId: model.id }, include: routeInclude, orderBy: routeOrderBy }),
  );
  return registryWrite(tx, async (tx) => {
    await tx.modelRoute.deleteMany({ where: { modelId: model.id } });
    // Insert in failover order, so rows with equal priority and weight keep the order they were given.
    for (const r of orderRoutes(opts.routes)) {
      await tx.modelRoute.create({
        data: {
          modelId: model.id,
          platformId: r.platformId ?? null,
          deploymentId: r.deploymentId ?? null,
          upstreamModel: r.upstreamModel,
          priority: r.priority,
          weight: r.weight,
          enabled: r.enabled,
          connectTimeoutMs: r.timeouts?.connectMs ?? null,
          firstTokenTimeoutMs: r.timeouts?.firstTokenMs ?? null,
          totalTimeoutMs: r.timeouts?.totalMs ?? null,
        },
      });
    }
    const rows = await tx.modelRoute.findMany({ where: { modelId: model.id }, include: routeInclude, orderBy: routeOrderBy });
    const after = toRouteDtos(model.name, rows);
    const from = before.map(routeSummary);
    const to = after.map(routeSummary);
    const changed = JSON.stringify(from) !== JSON.stringify(to);
    const audit = {
      actor: opts.actor,
      action: "model.routes.set",
      targetType: "model",
      targetId: model.id,
      targetLabel: model.name,
      changes: { routes: { from, to } },
      requestId: opts.requestId,
    };
    // Without `audit` the caller records the routes in its own entry (a new model lists them in model.create).
    // The snapshot moves even when the chain reads the same: its rows (and their ids) are new.
    return { result: after, audit: changed && opts.audit !== false ? audit : null, snapshot: true };
  });
}

export async function setRoutes(opts: { actor: Actor; modelId: string; input: SetRoutesInput; requestId?: string }): Promise<RouteDto[]> {
  requireModelsManage(opts.actor);
  return db.$transaction(async (tx) => {
    const model = await tx.model.findUnique({ where: { id: opts.modelId }, select: { id: true, name: true } });
    if (!model) throw notFound("Model");
    const problems = await routeTargetProblems(tx, opts.input.routes);
    if (problems.length)
      throw new AppError("validation_failed", "Some routes point to targets that cannot serve this model", { fields: problems });
    return replaceRoutesIn(tx, { actor: opts.actor, model, routes: opts.input.routes, requestId: opts.requestId });
  });
}
