import { db } from "../db/client";
import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { diffFields } from "../audit/record";
import { AppError, conflict, notFound } from "../errors";
import type { InstanceInput, UpdateInstanceInput } from "../schemas/deployments";
import { requireDeploymentsManage } from "./access";
import { instanceUrlProblem, sameUrl } from "./checks";
import { toInstanceDto } from "./deployment-dto";
import { registryWrite } from "../gateway/registry-write";
import { probeDueSoon } from "./health-check";

const INSTANCE_FIELDS = ["url", "replicas", "gpu", "weight", "enabled"] as const;
// A new or re-pointed instance starts over as unknown (in rotation until a check fails) and is probed at once.
const FRESH_HEALTH = {
  state: "unknown",
  consecutiveFailures: 0,
  consecutiveSuccesses: 0,
  lastError: null,
  lastLatencyMs: null,
  nextCheckAt: undefined as Date | undefined,
};

async function deploymentFor(tx: Tx, deploymentId: string) {
  const d = await tx.deployment.findUnique({
    where: { id: deploymentId },
    include: { instances: { select: { id: true, url: true, position: true } } },
  });
  if (!d) throw notFound("Deployment");
  return d;
}

function assertUrl(url: string, internal: boolean, path: string) {
  const problem = instanceUrlProblem(url, internal, path);
  if (problem) throw new AppError("validation_failed", "The instance URL is not allowed", { fields: [problem] });
}

export async function addInstanceIn(
  tx: Tx,
  opts: { actor: Actor; deploymentId: string; input: InstanceInput; requestId?: string; path?: string },
) {
  const { input } = opts;
  const path = opts.path ?? "url";
  const d = await deploymentFor(tx, opts.deploymentId);
  assertUrl(input.url, d.internal, path);
  if (d.instances.some((i) => sameUrl(i.url, input.url))) throw conflict("This deployment already has an instance with this URL", path);
  return registryWrite(tx, async (tx) => {
    const row = await tx.deploymentInstance.create({
      data: { ...input, deploymentId: d.id, position: Math.max(-1, ...d.instances.map((i) => i.position)) + 1 },
    });
    const audit = {
      actor: opts.actor,
      action: "deployment.instance.add",
      targetType: "deployment",
      targetId: d.id,
      targetLabel: d.name,
      changes: Object.fromEntries(INSTANCE_FIELDS.map((f) => [`instance.${f}`, { from: null, to: row[f] }])),
      requestId: opts.requestId,
    };
    return { result: row, audit };
  });
}

export async function updateInstanceIn(
  tx: Tx,
  opts: { actor: Actor; deploymentId: string; instanceId: string; input: UpdateInstanceInput; requestId?: string; pathPrefix?: string },
) {
  const { input } = opts;
  const prefix = opts.pathPrefix ?? "";
  const d = await deploymentFor(tx, opts.deploymentId);
  const before = await tx.deploymentInstance.findFirst({ where: { id: opts.instanceId, deploymentId: d.id } });
  if (!before) throw notFound("Instance");
  const urlChanged = input.url !== undefined && input.url !== before.url;
  if (urlChanged) {
    assertUrl(input.url!, d.internal, `${prefix}url`);
    if (d.instances.some((i) => i.id !== before.id && sameUrl(i.url, input.url!)))
      throw conflict("This deployment already has an instance with this URL", `${prefix}url`);
  }
  const changes = diffFields(before, { ...before, ...input }, { fields: [...INSTANCE_FIELDS] });
  if (!Object.keys(changes).length) return before;
  const reenabled = input.enabled === true && !before.enabled;
  return registryWrite(tx, async (tx) => {
    const after = await tx.deploymentInstance.update({
      where: { id: before.id },
      data: { ...input, ...(urlChanged || reenabled ? { ...FRESH_HEALTH, nextCheckAt: new Date(), stateChangedAt: new Date() } : {}) },
    });
    const audit = {
      actor: opts.actor,
      action: "deployment.instance.update",
      targetType: "deployment",
      targetId: d.id,
      targetLabel: d.name,
      changes: Object.fromEntries(Object.entries(changes).map(([k, v]) => [`instance.${k}`, v])),
      requestId: opts.requestId,
    };
    return { result: after, audit };
  });
}

export async function removeInstanceIn(tx: Tx, opts: { actor: Actor; deploymentId: string; instanceId: string; requestId?: string }) {
  const d = await deploymentFor(tx, opts.deploymentId);
  const row = await tx.deploymentInstance.findFirst({ where: { id: opts.instanceId, deploymentId: d.id } });
  if (!row) throw notFound("Instance");
  await registryWrite(tx, async (tx) => {
    await tx.deploymentInstance.delete({ where: { id: row.id } });
    const audit = {
      actor: opts.actor,
      action: "deployment.instance.remove",
      targetType: "deployment",
      targetId: d.id,
      targetLabel: d.name,
      changes: { "instance.url": { from: row.url, to: null } },
      requestId: opts.requestId,
    };
    return { result: undefined, audit };
  });
}

export async function addInstance(opts: { actor: Actor; deploymentId: string; input: InstanceInput; requestId?: string }) {
  requireDeploymentsManage(opts.actor);
  const row = await db.$transaction((tx) => addInstanceIn(tx, opts));
  probeDueSoon();
  return toInstanceDto(row);
}

export async function updateInstance(opts: {
  actor: Actor;
  deploymentId: string;
  instanceId: string;
  input: UpdateInstanceInput;
  requestId?: string;
}) {
  requireDeploymentsManage(opts.actor);
  const row = await db.$transaction((tx) => updateInstanceIn(tx, opts));
  probeDueSoon();
  return toInstanceDto(row);
}

export async function removeInstance(opts: { actor: Actor; deploymentId: string; instanceId: string; requestId?: string }) {
  requireDeploymentsManage(opts.actor);
  await db.$transaction((tx) => removeInstanceIn(tx, opts));
}
