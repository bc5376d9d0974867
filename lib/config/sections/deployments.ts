import { createDeploymentSchema, type CreateDeploymentInput } from "../../schemas/deployments";
import { AppError, type FieldProblem } from "../../errors";
import { createDeploymentIn, deploymentData } from "../../deployments/create-deployment";
import { updateDeploymentIn } from "../../deployments/update-deployment";
import { addInstanceIn, removeInstanceIn, updateInstanceIn } from "../../deployments/instances";
import { instanceUrlProblem, sameUrl } from "../../deployments/checks";
import { probeDueSoon } from "../../deployments/health-check";
import { DEPLOYMENT_AUDIT_FIELDS, deploymentFields } from "../../deployments/deployment-dto";
import type { ConfigChange, ConfigSection } from "../types";

type Item = CreateDeploymentInput;
const INSTANCE_FIELDS = ["replicas", "gpu", "weight", "enabled"] as const;

/**
 * Deployments in a file are matched by name (case-insensitive) and their instances by URL; the file is the
 * whole truth for a deployment it names: omitted settings take their defaults and unlisted instances are removed.
 * A matched instance keeps its health state and history.
 */
export const deploymentsSection: ConfigSection<Item> = {
  key: "deployments",
  item: createDeploymentSchema,
  identity: (d) => d.name.toLowerCase(),
  async apply(items, { tx, actor, requestId, dryRun }) {
    const problems: FieldProblem[] = [];
    items.forEach((d, i) =>
      d.instances.forEach((inst, j) => {
        const p = instanceUrlProblem(inst.url, d.internal, `deployments[${i}].instances[${j}].url`);
        if (p) problems.push(p);
      }),
    );
    if (problems.length)
      throw new AppError("validation_failed", "The configuration has instance URLs that are not allowed; nothing was applied", {
        fields: problems,
      });

    const changes: ConfigChange[] = [];
    for (const [i, d] of items.entries()) {
      const existing = await tx.deployment.findFirst({
        where: { name: { equals: d.name, mode: "insensitive" } },
        include: { instances: true },
      });
      if (!existing) {
        changes.push({ section: "deployments", name: d.name, action: "create" });
        if (!dryRun) await createDeploymentIn(tx, { actor, input: d, source: "config", requestId, pathPrefix: `deployments[${i}].` });
        continue;
      }
      const before = deploymentFields(existing);
      const wanted = deploymentFields({ ...deploymentData(d) });
      const fields: string[] = DEPLOYMENT_AUDIT_FIELDS.filter((f) => before[f] !== wanted[f]);
      const removed = existing.instances.filter((e) => !d.instances.some((f) => sameUrl(f.url, e.url)));
      const added: number[] = [];
      const updated: { j: number; id: string }[] = [];
      d.instances.forEach((f, j) => {
        const match = existing.instances.find((e) => sameUrl(e.url, f.url));
        if (!match) added.push(j);
        else if (INSTANCE_FIELDS.some((k) => match[k] !== f[k])) updated.push({ j, id: match.id });
      });
      if (removed.length || added.length || updated.length) fields.push("instances");
      if (!fields.length) {
        changes.push({ section: "deployments", name: d.name, action: "unchanged" });
        continue;
      }
      changes.push({ section: "deployments", name: d.name, action: "update", fields });
      if (dryRun) continue;
      // Removals first, so taking `internal` away is judged on the instances that remain.
      for (const r of removed) await removeInstanceIn(tx, { actor, deploymentId: existing.id, instanceId: r.id, requestId });
      const { instances: _instances, ...settings } = d;
      await updateDeploymentIn(tx, { actor, deploymentId: existing.id, input: settings, requestId });
      for (const u of updated) {
        const f = d.instances[u.j];
        await updateInstanceIn(tx, {
          actor,
          deploymentId: existing.id,
          instanceId: u.id,
          input: { replicas: f.replicas, gpu: f.gpu, weight: f.weight, enabled: f.enabled },
          requestId,
          pathPrefix: `deployments[${i}].instances[${u.j}].`,
        });
      }
      for (const j of added) {
        await addInstanceIn(tx, {
          actor,
          deploymentId: existing.id,
          input: d.instances[j],
          requestId,
          path: `deployments[${i}].instances[${j}].url`,
        });
      }
    }
    return changes;
  },
  // New and re-pointed instances (and changed probe settings) are due now: probe them without waiting for the job.
  afterCommit: () => probeDueSoon(),
  async export(tx) {
    const rows = await tx.deployment.findMany({
      include: { instances: { orderBy: [{ position: "asc" }, { createdAt: "asc" }] } },
      orderBy: { name: "asc" },
    });
    return rows.map((d) => ({
      name: d.name,
      internal: d.internal,
      strategy: d.strategy,
      healthCheck: {
        intervalSeconds: d.healthIntervalSeconds,
        path: d.healthPath,
        timeoutMs: d.healthTimeoutMs,
        unhealthyAfter: d.unhealthyAfter,
        healthyAfter: d.healthyAfter,
      },
      engine: d.engine,
      ...(d.servedModel ? { model: d.servedModel } : {}),
      ...(d.notes ? { notes: d.notes } : {}),
      instances: d.instances.map((i) => ({
        url: i.url,
        replicas: i.replicas,
        gpu: i.gpu,
        weight: i.weight,
        ...(i.enabled ? {} : { enabled: false }),
      })),
    }));
  },
};
