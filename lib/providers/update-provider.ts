import { db } from "../db/client";
import type { Prisma } from "../db/types";
import type { Actor } from "../auth/actor";
import { diffFields, recordAudit } from "../audit/record";
import { isUniqueViolation } from "../db/errors";
import { AppError, conflict, notFound } from "../errors";
import type { ProviderDto, UpdateProviderInput } from "../schemas/providers";
import { requireProviderAccess } from "./access";
import { getProviderIn } from "./get-provider";

const FIELDS = ["name", "title", "description", "globalId", "servers", "authSchemes", "followUpdates"] as const;

/** Edits a provider's name, title, description, servers and auth schemes; its global id is fixed once set. */
export async function updateProvider(opts: {
  actor: Actor;
  providerId: string;
  input: UpdateProviderInput;
  requestId?: string;
}): Promise<ProviderDto> {
  const { actor, providerId, input } = opts;
  const workspaceId = await requireProviderAccess(actor, providerId, "integrations.manage");
  try {
    return await db.$transaction(async (tx) => {
      const before = await tx.provider.findFirst({
        where: { id: providerId, workspaceId },
        select: {
          name: true,
          title: true,
          description: true,
          globalId: true,
          servers: true,
          authSchemes: true,
          followUpdates: true,
          catalogId: true,
        },
      });
      if (!before) throw notFound("Provider");
      if (input.globalId !== undefined && before.globalId && before.globalId !== input.globalId) {
        throw conflict(`The global id is fixed once set (${before.globalId})`, "globalId");
      }
      if (input.followUpdates && !before.catalogId)
        throw new AppError("validation_failed", "Only a provider synced from the central repository can follow its updates", {
          fields: [{ path: "followUpdates", message: "This provider was not synced from the central repository" }],
        });
      if (input.name && input.name.toLowerCase() !== before.name.toLowerCase()) {
        const clash = await tx.provider.findFirst({
          where: { workspaceId, name: { equals: input.name, mode: "insensitive" }, NOT: { id: providerId } },
          select: { id: true },
        });
        if (clash) throw conflict("A provider with this name already exists in this workspace", "name");
      }
      const data: Prisma.ProviderUpdateInput = {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.globalId !== undefined ? { globalId: input.globalId } : {}),
        ...(input.servers !== undefined ? { servers: input.servers } : {}),
        ...(input.authSchemes !== undefined ? { authSchemes: input.authSchemes as Prisma.InputJsonValue } : {}),
        ...(input.followUpdates !== undefined ? { followUpdates: input.followUpdates } : {}),
      };
      await tx.provider.update({ where: { id: providerId, workspaceId }, data });
      const { catalogId: _catalogId, ...shown } = before;
      const changes = diffFields(shown as Record<string, unknown>, { ...shown, ...input } as Record<string, unknown>, {
        fields: [...FIELDS],
      });
      if (Object.keys(changes).length) {
        await recordAudit(tx, {
          actor,
          action: "provider.update",
          targetType: "provider",
          targetId: providerId,
          targetLabel: input.name ?? before.name,
          workspaceId,
          changes,
          requestId: opts.requestId,
        });
      }
      return getProviderIn(tx, providerId, workspaceId);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict("A provider with this name already exists in this workspace", "name");
    throw e;
  }
}
