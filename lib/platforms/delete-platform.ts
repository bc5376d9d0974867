import { db } from "../db/client";
import type { Actor } from "../auth/actor";
import { AppError, notFound } from "../errors";
import { requirePlatformManage } from "./access";
import { destroyKeyCredential } from "./key-credential";
import { registryWrite } from "../gateway/registry-write";

/** Deletes a platform with its keys and their stored values; refused while a model routes to it. */
export async function deletePlatform(opts: { actor: Actor; platformId: string; requestId?: string }) {
  const { actor } = opts;
  requirePlatformManage(actor);
  await registryWrite(db, async (tx) => {
    const p = await tx.platform.findUnique({
      where: { id: opts.platformId },
      include: { keys: { select: { id: true, credentialId: true } }, routes: { select: { model: { select: { name: true } } } } },
    });
    if (!p) throw notFound("Platform");
    const models = [...new Set(p.routes.map((r) => r.model.name))].sort();
    if (models.length) {
      throw new AppError("conflict", `Models route to this platform: ${models.join(", ")}. Remove those routes first.`, {
        fields: models.map((m) => ({ path: "routedModels", message: m })),
      });
    }
    for (const key of p.keys) await destroyKeyCredential(tx, { actor, key, requestId: opts.requestId });
    await tx.platform.delete({ where: { id: p.id } });
    const audit = {
      actor,
      action: "platform.delete",
      targetType: "platform",
      targetId: p.id,
      targetLabel: p.name,
      changes: { name: { from: p.name, to: null }, keys: { from: p.keys.length, to: null } },
      requestId: opts.requestId,
    };
    return { result: undefined, audit };
  });
}
