import { db } from "../db/client";
import type { Prisma, Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { diffFields, recordAudit, REDACTED, type FieldChanges } from "../audit/record";
import { isUniqueViolation } from "../db/errors";
import { conflict, forbidden, notFound } from "../errors";
import type { ConnectorDto, UpdateConnectorInput } from "../schemas/connectors";
import type { ProviderDto } from "../schemas/providers";
import { mayMarkInternal, requireConnectorAccess, type ConnectorScope } from "./access";
import { assertConnectorNameFree } from "./create-connector";
import { connectorSelect, storedSettings } from "./connector-dto";
import { getConnectorIn } from "./get-connector";
import { dropSecret, renameSecrets, storeSecret } from "./secrets";
import { checkAuth, checkBaseUrl, checkPinnedVersion, throwProblems } from "./validate";

/** Objects with their keys in order: the database may hand JSON back with its keys reordered. */
const sorted = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Changing these makes an earlier connection test meaningless. */
const RETEST = ["baseUrl", "params", "internal", "authMode", "auth"];

/**
 * Edits a connector inside `tx`. A secret given replaces the stored one (the same credential gets the new value);
 * a secret left out keeps it. Returns what changed (empty: nothing was written).
 */
export async function updateConnectorIn(
  tx: Tx,
  opts: { actor: Actor; scope: ConnectorScope; input: UpdateConnectorInput; requestId?: string; source?: string; dryRun?: boolean },
): Promise<{ dto: ConnectorDto; changed: string[] }> {
  const { actor, scope, input } = opts;
  const { workspaceId } = scope;
  const before = await tx.connector.findFirst({
    where: scope.where,
    select: { ...connectorSelect, provider: { select: { id: true, name: true, servers: true, authSchemes: true } } },
  });
  if (!before) throw notFound("Connector");
  if (input.internal !== undefined && input.internal !== before.internal && !mayMarkInternal(actor, scope.role))
    throw forbidden("Only an Admin can change whether a connector may reach private addresses");
  if (input.name && input.name.toLowerCase() !== before.name.toLowerCase())
    await assertConnectorNameFree(tx, workspaceId, input.name, before.id);

  const beforeParams = (before.params ?? {}) as Record<string, string>;
  const params = input.params ?? beforeParams;
  const base =
    input.baseUrl !== undefined || input.params !== undefined
      ? checkBaseUrl({
          servers: before.provider.servers as ProviderDto["servers"],
          params,
          baseUrl: input.baseUrl ?? before.baseUrl,
          // A base URL accepted before stays acceptable when only the params change.
          custom: input.customBaseUrl ?? input.baseUrl === undefined,
        })
      : { baseUrl: before.baseUrl, problems: [] };
  const stored = storedSettings(before);
  const auth = input.auth
    ? checkAuth({
        input: input.auth,
        authSchemes: before.provider.authSchemes as ProviderDto["authSchemes"],
        existing: { mode: before.authMode, settings: stored },
      })
    : { auth: null, problems: [] };
  const pinned =
    input.pinnedVersionId !== undefined
      ? await checkPinnedVersion(tx, before.provider.id, input.pinnedVersionId)
      : { id: before.pinnedVersionId, number: null, problems: [] };
  throwProblems([...base.problems, ...auth.problems, ...pinned.problems], "The changes are invalid; nothing was saved");

  // An internal connector's base URL reaches the private network: only an Admin may point it elsewhere.
  if (before.internal && base.baseUrl !== before.baseUrl && !mayMarkInternal(actor, scope.role))
    throw forbidden("Only an Admin can change the base URL of a connector that may reach private addresses");

  const { secretIds: oldIds, ...oldSettings } = stored;
  const next = {
    name: input.name ?? before.name,
    description: input.description ?? before.description,
    baseUrl: base.baseUrl,
    params: sorted(params),
    public: input.public ?? before.public,
    internal: input.internal ?? before.internal,
    pinnedVersionId: pinned.id,
    authMode: auth.auth?.mode.mode ?? before.authMode,
    auth: sorted(auth.auth?.settings ?? oldSettings),
  };
  const changes: FieldChanges = diffFields(
    { ...before, params: sorted(beforeParams), auth: sorted(oldSettings) } as Record<string, unknown>,
    next,
    {
      fields: ["name", "description", "baseUrl", "params", "public", "internal", "pinnedVersionId", "authMode", "auth"],
    },
  );
  const rotated = Object.keys(auth.auth?.secrets ?? {});
  for (const f of rotated) changes[`auth.${f}`] = { from: oldIds[f] ? REDACTED : null, to: REDACTED };
  const dropped = auth.auth ? Object.keys(oldIds).filter((f) => !auth.auth!.usedSecrets.includes(f)) : [];
  for (const f of dropped) changes[`auth.${f}`] = { from: REDACTED, to: null };
  const changed = Object.keys(changes);
  if (!changed.length || opts.dryRun) return { dto: await getConnectorIn(tx, scope.where), changed };

  const ctx = {
    actor,
    workspaceId,
    connector: { id: before.id, name: next.name },
    source: opts.source ?? "console",
    requestId: opts.requestId,
  };
  const secretIds: Record<string, string> = {};
  if (auth.auth) {
    for (const f of auth.auth.usedSecrets) {
      const value = auth.auth.secrets[f];
      if (value !== undefined) secretIds[f] = await storeSecret(tx, ctx, f, value, oldIds[f]);
      else if (oldIds[f]) secretIds[f] = oldIds[f];
    }
    for (const f of dropped) await dropSecret(tx, ctx, oldIds[f]);
  } else Object.assign(secretIds, oldIds);
  if (next.name !== before.name) await renameSecrets(tx, ctx, secretIds);

  const retest = changed.some((f) => RETEST.includes(f) || f.startsWith("auth."));
  // registry-neutral: connectors are not in the gateway's routing snapshot.
  await tx.connector.update({
    where: { id: before.id, workspaceId },
    data: {
      name: next.name,
      description: next.description,
      baseUrl: next.baseUrl,
      params: next.params as Prisma.InputJsonValue,
      public: next.public,
      internal: next.internal,
      pinnedVersionId: next.pinnedVersionId,
      authMode: next.authMode,
      authSettings: { ...next.auth, secretIds } as Prisma.InputJsonValue,
      ...(retest ? { status: "untested", statusReason: "Settings changed since the last test", statusAt: new Date() } : {}),
    },
    select: { id: true },
  });
  await recordAudit(tx, {
    actor,
    action: "connector.update",
    targetType: "connector",
    targetId: before.id,
    targetLabel: next.name,
    workspaceId,
    changes,
    requestId: opts.requestId,
  });
  return { dto: await getConnectorIn(tx, { id: before.id, workspaceId }), changed };
}

export async function updateConnector(opts: {
  actor: Actor;
  connectorId: string;
  input: UpdateConnectorInput;
  requestId?: string;
}): Promise<ConnectorDto> {
  const scope = await requireConnectorAccess(opts.actor, opts.connectorId, "integrations.manage");
  try {
    return (await db.$transaction((tx) => updateConnectorIn(tx, { ...opts, scope }))).dto;
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict("A connector with this name already exists in this workspace", "name");
    throw e;
  }
}
