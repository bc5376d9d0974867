import { db } from "../db/client";
import type { Tx } from "../db/types";
import { isUniqueViolation } from "../db/errors";
import type { Actor } from "../auth/actor";
import { diffFields } from "../audit/record";
import { AppError, conflict, notFound } from "../errors";
import type { UpdateDeploymentInput } from "../schemas/deployments";
import { requireDeploymentsManage } from "./access";
import { assertDeploymentNameFree, instanceUrlProblem } from "./checks";
import { DEPLOYMENT_AUDIT_FIELDS, deploymentFields, deploymentInclude, toDeploymentDetailDto } from "./deployment-dto";
import { registryWrite } from "../gateway/registry-write";
import { probeDueSoon } from "./health-check";

/** Changes a deployment's settings inside `tx`; instances are changed on their own (add/update/remove-instance). */
export async function updateDeploymentIn(
  tx: Tx,
  opts: { actor: Actor; deploymentId: string; input: UpdateDeploymentInput; requestId?: string },
) {
  const { actor, input } = opts;
  const before = await tx.deployment.findUnique({ where: { id: opts.deploymentId }, include: deploymentInclude });
  if (!before) throw notFound("Deployment");
  if (input.name !== undefined && input.name.toLowerCase() !== before.name.toLowerCase())
    await assertDeploymentNameFree(tx, input.name, before.id);
  if (input.internal === false && before.internal) {
    // Taking `internal` away must not leave instances the guard would now refuse.
    const blocked = before.instances.filter((i) => instanceUrlProblem(i.url, false, "internal"));
    if (blocked.length) {
      throw new AppError("validation_failed", "Some instances use private addresses", {
        fields: [
          { path: "internal", message: `Needed by ${blocked.map((i) => i.url).join(", ")}: change or remove those instances first` },
        ],
      });
    }
  }
  const h = input.healthCheck ?? {};
  const data = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.engine !== undefined ? { engine: input.engine } : {}),
    ...(input.model !== undefined ? { servedModel: input.model } : {}),
    ...(input.strategy !== undefined ? { strategy: input.strategy } : {}),
    ...(input.internal !== undefined ? { internal: input.internal } : {}),
    ...(input.notes !== undefined ? { notes: input.notes } : {}),
    ...(h.intervalSeconds !== undefined ? { healthIntervalSeconds: h.intervalSeconds } : {}),
    ...(h.path !== undefined ? { healthPath: h.path } : {}),
    ...(h.timeoutMs !== undefined ? { healthTimeoutMs: h.timeoutMs } : {}),
    ...(h.unhealthyAfter !== undefined ? { unhealthyAfter: h.unhealthyAfter } : {}),
    ...(h.healthyAfter !== undefined ? { healthyAfter: h.healthyAfter } : {}),
  };
  const changes = diffFields(deploymentFields(before), deploymentFields({ ...before, ...data }), { fields: DEPLOYMENT_AUDIT_FIELDS });
  if (!Object.keys(changes).length) return before;
  await registryWrite(tx, async (tx) => {
    await tx.deployment.update({ where: { id: before.id }, data });
    if (Object.keys(changes).some((k) => k.startsWith("healthCheck.") || k === "internal")) {
      // New probe settings take effect now rather than after the old interval.
      await tx.deploymentInstance.updateMany({ where: { deploymentId: before.id }, data: { nextCheckAt: new Date() } });
    }
    const audit = {
      actor,
      action: "deployment.update",
      targetType: "deployment",
      targetId: before.id,
      targetLabel: data.name ?? before.name,
      changes,
      requestId: opts.requestId,
    };
    return { result: undefined, audit };
  });
  return (await tx.deployment.findUnique({ where: { id: before.id }, include: deploymentInclude }))!;
}

export async function updateDeployment(opts: { actor: Actor; deploymentId: string; input: UpdateDeploymentInput; requestId?: string }) {
  requireDeploymentsManage(opts.actor);
  try {
    const row = await db.$transaction((tx) => updateDeploymentIn(tx, opts));
    probeDueSoon();
    return toDeploymentDetailDto(row);
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict("A deployment with this name already exists", "name");
    throw e;
  }
}
