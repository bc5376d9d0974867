import type { Tx } from "../db/types";
import { registryWrite } from "../gateway/registry-write";

/** Keys name models by name: renaming a model keeps every key that allowed it allowing it. Returns the count. */
export async function renameAllowedModel(tx: Tx, from: string, to: string): Promise<number> {
  // The model's own audit entry (model.update) records the rename.
  return registryWrite(tx, async (tx) => {
    const keys = await tx.virtualKey.findMany({ where: { allowedModels: { has: from } }, select: { id: true, allowedModels: true } });
    for (const k of keys) {
      await tx.virtualKey.update({ where: { id: k.id }, data: { allowedModels: k.allowedModels.map((m) => (m === from ? to : m)) } });
    }
    return { result: keys.length, audit: null, snapshot: keys.length > 0 };
  });
}
