import { db } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import type { Actor } from "../auth/actor";
import { diffFields } from "../audit/record";
import { AppError, conflict, notFound } from "../errors";
import type { UpdatePlatformInput } from "../schemas/platforms";
import { requirePlatformManage } from "./access";
import { loadPlatformDto } from "./get-platform";
import { attachKeyUsage, keyUsageLabel } from "./key-credential";
import { apiVersionProblem, effectiveApiVersion, type VendorId } from "./vendors";
import { assertBaseUrlAllowed, assertPlatformNameFree } from "./validate";
import { registryWrite } from "../gateway/registry-write";

const FIELDS = ["name", "vendor", "baseUrl", "apiVersion", "notes", "status", "internal"] as const;

/** Changes a platform's settings; its keys are untouched (they have their own operations). */
export async function updatePlatform(opts: { actor: Actor; platformId: string; input: UpdatePlatformInput; requestId?: string }) {
  const { actor, input } = opts;
  requirePlatformManage(actor);
  try {
    return await registryWrite(db, async (tx) => {
      const before = await tx.platform.findUnique({
        where: { id: opts.platformId },
        include: { keys: { select: { id: true, credentialId: true, description: true } } },
      });
      if (!before) throw notFound("Platform");
      const vendor = (input.vendor ?? before.vendor) as VendorId;
      const vendorChanged = vendor !== before.vendor;
      const requested = input.apiVersion !== undefined ? input.apiVersion : vendorChanged ? null : before.apiVersion;
      const problem = apiVersionProblem(vendor, input.apiVersion ?? null);
      if (problem) throw new AppError("validation_failed", problem, { fields: [{ path: "apiVersion", message: problem }] });
      const next = {
        name: input.name ?? before.name,
        vendor,
        baseUrl: input.baseUrl ?? before.baseUrl,
        apiVersion: effectiveApiVersion(vendor, requested),
        notes: input.notes ?? before.notes,
        status: input.status ?? before.status,
        internal: input.internal ?? before.internal,
      };
      if (next.baseUrl !== before.baseUrl || next.internal !== before.internal) assertBaseUrlAllowed(next.baseUrl, next.internal);
      if (next.name.toLowerCase() !== before.name.toLowerCase()) await assertPlatformNameFree(tx, next.name, before.id);
      const changes = diffFields(before, next, { fields: [...FIELDS] });
      if (!Object.keys(changes).length) return { result: await loadPlatformDto(tx, before.id), audit: null };
      await tx.platform.update({ where: { id: before.id }, data: next });
      if (next.name !== before.name) {
        for (const k of before.keys) await attachKeyUsage(tx, k, keyUsageLabel(next.name, k.description));
      }
      const audit = {
        actor,
        action: "platform.update",
        targetType: "platform",
        targetId: before.id,
        targetLabel: next.name,
        changes,
        requestId: opts.requestId,
      };
      return { result: await loadPlatformDto(tx, before.id), audit };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict("A platform with this name already exists", "name");
    throw e;
  }
}
