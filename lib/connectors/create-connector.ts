import { db } from "../db/client";
import type { Prisma, Tx } from "../db/types";
import { requireWorkspacePermission, type Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { isUniqueViolation } from "../db/errors";
import { AppError, conflict, forbidden, notFound } from "../errors";
import type { ConnectorDto, CreateConnectorInput } from "../schemas/connectors";
import type { ProviderDto } from "../schemas/providers";
import { mayMarkInternal } from "./access";
import { getConnectorIn } from "./get-connector";
import { createConnectorFromCatalog } from "./create-from-catalog";
import { storeSecret } from "./secrets";
import { checkAuth, checkBaseUrl, checkPinnedVersion, throwProblems } from "./validate";

/** What a connector is created from once its provider is known (a catalogId has been resolved to a provider). */
export type ConnectorFields = Omit<CreateConnectorInput, "providerId" | "catalogId"> & { providerId: string };

const NAME_TAKEN = "A connector with this name already exists in this workspace";

export async function assertConnectorNameFree(tx: Tx, workspaceId: string, name: string, exceptId?: string) {
  const clash = await tx.connector.findFirst({
    where: { workspaceId, name: { equals: name, mode: "insensitive" }, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw conflict(NAME_TAKEN, "name");
}

/** Creates a connector inside `tx`: checks it against its provider, stores each secret as a credential, audits. */
export async function createConnectorIn(
  tx: Tx,
  opts: { actor: Actor; workspaceId: string; input: ConnectorFields; source?: string; adoptSecrets?: boolean; requestId?: string },
): Promise<ConnectorDto> {
  const { actor, workspaceId, input } = opts;
  const provider = await tx.provider.findFirst({
    where: { id: input.providerId, workspaceId },
    select: { id: true, name: true, globalId: true, servers: true, authSchemes: true },
  });
  if (!provider)
    throw new AppError("validation_failed", "The connector is invalid; nothing was saved", {
      fields: [{ path: "providerId", message: "No provider with this id in this workspace" }],
    });
  const base = checkBaseUrl({
    servers: provider.servers as ProviderDto["servers"],
    params: input.params,
    baseUrl: input.baseUrl,
    custom: input.customBaseUrl,
  });
  const auth = checkAuth({ input: input.auth, authSchemes: provider.authSchemes as ProviderDto["authSchemes"] });
  const pinned = await checkPinnedVersion(tx, provider.id, input.pinnedVersionId);
  throwProblems([...base.problems, ...auth.problems, ...pinned.problems]);
  await assertConnectorNameFree(tx, workspaceId, input.name);
  const mode = auth.auth!;
  // registry-neutral: connectors are not in the gateway's routing snapshot.
  const row = await tx.connector.create({
    data: {
      workspaceId,
      providerId: provider.id,
      name: input.name,
      description: input.description,
      globalId: provider.globalId,
      baseUrl: base.baseUrl,
      pinnedVersionId: pinned.id,
      params: input.params,
      public: input.public,
      internal: input.internal,
      authMode: mode.mode.mode,
      authSettings: { ...mode.settings, secretIds: {} } as Prisma.InputJsonValue,
      source: opts.source ?? "console",
      createdById: actor.type === "user" ? actor.id : null,
    },
    select: { id: true, name: true },
  });
  const ctx = { actor, workspaceId, connector: row, source: opts.source ?? "console", requestId: opts.requestId, adopt: opts.adoptSecrets };
  const secretIds: Record<string, string> = {};
  for (const [field, value] of Object.entries(mode.secrets)) secretIds[field] = await storeSecret(tx, ctx, field, value);
  // registry-neutral: connectors are not in the gateway's routing snapshot.
  await tx.connector.update({
    where: { id: row.id, workspaceId },
    data: { authSettings: { ...mode.settings, secretIds } as Prisma.InputJsonValue },
    select: { id: true },
  });
  await recordAudit(tx, {
    actor,
    action: "connector.create",
    targetType: "connector",
    targetId: row.id,
    targetLabel: row.name,
    workspaceId,
    changes: {
      name: { from: null, to: row.name },
      provider: { from: null, to: provider.name },
      baseUrl: { from: null, to: base.baseUrl },
      authMode: { from: null, to: mode.mode.mode },
      ...(input.public ? { public: { from: null, to: true } } : {}),
      ...(input.internal ? { internal: { from: null, to: true } } : {}),
      ...(pinned.number ? { pinnedVersion: { from: null, to: pinned.number } } : {}),
    },
    requestId: opts.requestId,
  });
  return getConnectorIn(tx, { id: row.id, workspaceId });
}

export async function createConnector(opts: {
  actor: Actor;
  workspaceId: string;
  input: CreateConnectorInput;
  requestId?: string;
}): Promise<ConnectorDto> {
  const role = await requireWorkspacePermission(opts.actor, opts.workspaceId, "integrations.manage");
  if (opts.input.internal && !mayMarkInternal(opts.actor, role))
    throw forbidden("Only an Admin can let a connector reach private addresses");
  try {
    const { input } = opts;
    if (input.catalogId) return await createConnectorFromCatalog({ ...opts, input: { ...input, catalogId: input.catalogId } });
    const { catalogId: _none, providerId, ...fields } = input;
    if (!providerId) throw notFound("Provider");
    return await db.$transaction((tx) => createConnectorIn(tx, { ...opts, input: { ...fields, providerId } }));
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict(NAME_TAKEN, "name");
    throw e;
  }
}
