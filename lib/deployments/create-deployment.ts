import { db } from "../db/client";
import type { Tx } from "../db/types";
import { isUniqueViolation } from "../db/errors";
import type { Actor } from "../auth/actor";
import { diffFields } from "../audit/record";
import { conflict } from "../errors";
import type { CreateDeploymentInput } from "../schemas/deployments";
import { requireDeploymentsManage } from "./access";
import { assertDeploymentNameFree, assertInstanceUrls } from "./checks";
import { DEPLOYMENT_AUDIT_FIELDS, deploymentFields, deploymentInclude, toDeploymentDetailDto } from "./deployment-dto";
import { registryWrite } from "../gateway/registry-write";
import { probeDueSoon } from "./health-check";

export function deploymentData(input: Omit<CreateDeploymentInput, "instances">) {
  return {
    name: input.name,
    engine: input.engine,
    servedModel: input.model,
    strategy: input.strategy,
    internal: input.internal,
    healthPath: input.healthCheck.path,
    healthIntervalSeconds: input.healthCheck.intervalSeconds,
    healthTimeoutMs: input.healthCheck.timeoutMs,
    unhealthyAfter: input.healthCheck.unhealthyAfter,
    healthyAfter: input.healthCheck.healthyAfter,
    notes: input.notes,
  };
}

/** Creates a deployment with its instances inside `tx`. Instance URL problems are reported as `instances[i].url`. */
export async function createDeploymentIn(
  tx: Tx,
  opts: { actor: Actor; input: CreateDeploymentInput; source?: string; requestId?: string; pathPrefix?: string },
) {
  const { actor, input } = opts;
  const prefix = opts.pathPrefix ?? "";
  await assertDeploymentNameFree(tx, input.name).catch((e) => {
    throw prefix ? conflict(e.message, `${prefix}name`) : e;
  });
  assertInstanceUrls(
    input.instances.map((i) => i.url),
    input.internal,
    (i) => `${prefix}instances[${i}].url`,
  );
  return registryWrite(tx, async (tx) => {
    const row = await tx.deployment.create({
      data: {
        ...deploymentData(input),
        source: opts.source ?? "console",
        instances: { create: input.instances.map((i, position) => ({ ...i, position })) },
      },
      include: deploymentInclude,
    });
    const audit = {
      actor,
      action: "deployment.create",
      targetType: "deployment",
      targetId: row.id,
      targetLabel: row.name,
      changes: {
        ...diffFields(null, deploymentFields(row), { fields: DEPLOYMENT_AUDIT_FIELDS }),
        ...(row.instances.length ? { instances: { from: null, to: row.instances.map((i) => i.url) } } : {}),
      },
      requestId: opts.requestId,
    };
    return { result: row, audit };
  });
}

export async function createDeployment(opts: { actor: Actor; input: CreateDeploymentInput; requestId?: string }) {
  requireDeploymentsManage(opts.actor);
  try {
    const row = await db.$transaction((tx) => createDeploymentIn(tx, opts));
    probeDueSoon();
    return toDeploymentDetailDto(row);
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict("A deployment with this name already exists", "name");
    throw e;
  }
}
