import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import { AppError, notFound } from "../errors";
import { requireDeploymentsManage } from "./access";
import { registryWrite } from "../gateway/registry-write";

/** Deletes a deployment with its instances and their history; refused while a model routes to it, naming the models. */
export async function deleteDeployment(opts: { actor: Actor; deploymentId: string; requestId?: string }) {
  requireDeploymentsManage(opts.actor);
  await registryWrite(db, async (tx) => {
    const d = await tx.deployment.findUnique({
      where: { id: opts.deploymentId },
      include: { instances: { select: { url: true } }, routes: { select: { model: { select: { name: true } } } } },
    });
    if (!d) throw notFound("Deployment");
    if (d.routes.length) {
      const names = [...new Set(d.routes.map((r) => r.model.name))].sort();
      throw new AppError(
        "conflict",
        `Deployment "${d.name}" is used by the model${names.length > 1 ? "s" : ""} ${names.join(", ")}; remove those routes first`,
        {
          fields: names.map((n) => ({ path: "usedBy.model", message: n })),
        },
      );
    }
    await tx.deployment.delete({ where: { id: d.id } });
    const audit = {
      actor: opts.actor,
      action: "deployment.delete",
      targetType: "deployment",
      targetId: d.id,
      targetLabel: d.name,
      changes: { name: { from: d.name, to: null }, instances: { from: d.instances.map((i) => i.url), to: null } },
      requestId: opts.requestId,
    };
    return { result: undefined, audit };
  });
}
