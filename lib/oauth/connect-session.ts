import crypto from "node:crypto";
import { db } from "../db/client";
import { actorLabel, type Actor } from "../auth/actor";
import { hashSecret } from "../auth/secret-token";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { requireConnectorAccess } from "../connectors/access";
import { OAUTH_AUTH_MODES } from "../connectors/auth/registry";
import type { ConnectSessionDto, CreateConnectSessionInput } from "../schemas/oauth-connections";
import { publicBase, redirectUriFor } from "./redirect-uri";

// A connect link: a Builder (or a program with an admin token) asks for one for an end user id; whoever opens
// it sees Switchboard's consent page without signing in. The link token is the capability: random, stored only
// as a hash, single use, and valid for 10 minutes.

export const CONNECT_SESSION_TTL_MS = 10 * 60_000;
export const CONNECT_PATH = "/connect";

export async function createConnectSession(opts: {
  actor: Actor;
  connectorId: string;
  input: CreateConnectSessionInput;
  requestOrigin?: string;
  requestId?: string;
}): Promise<ConnectSessionDto> {
  const { actor, input } = opts;
  // Anyone who may use the connector may connect their own account; links for others are for Builders and Admins.
  const own = actor.type === "user" && input.endUserId.toLowerCase() === actor.email.toLowerCase();
  const scope = await requireConnectorAccess(actor, opts.connectorId, own ? "connections.own" : "integrations.manage");
  const connector = await db.connector.findFirst({ where: scope.where, select: { id: true, name: true, authMode: true } });
  if (!connector) throw new AppError("not_found", "Connector not found");
  if (!(OAUTH_AUTH_MODES as readonly string[]).includes(connector.authMode))
    throw new AppError("bad_request", `The connector '${connector.name}' does not use end-user OAuth (its mode is ${connector.authMode})`, {
      fields: [{ path: "endUserId", message: "Set the connector's authentication to oauth-user or hybrid first" }],
    });
  const token = crypto.randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + CONNECT_SESSION_TTL_MS);
  await db.$transaction(async (tx) => {
    // Sessions of this connector that ended more than a day ago are of no further use.
    // registry-neutral: connect sessions are not in the gateway's routing snapshot.
    await tx.connectSession.deleteMany({ where: { connectorId: connector.id, expiresAt: { lt: new Date(Date.now() - 86_400_000) } } });
    // registry-neutral: connect sessions are not in the gateway's routing snapshot.
    const row = await tx.connectSession.create({
      data: {
        workspaceId: scope.workspaceId,
        connectorId: connector.id,
        endUserId: input.endUserId,
        linkHash: hashSecret(token),
        redirectUri: redirectUriFor(opts.requestOrigin),
        requestedBy: actorLabel(actor),
        expiresAt,
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      actor,
      action: "connector.connect_session.create",
      targetType: "connector",
      targetId: connector.id,
      targetLabel: connector.name,
      workspaceId: scope.workspaceId,
      changes: { endUserId: { from: null, to: input.endUserId }, session: { from: null, to: row.id } },
      requestId: opts.requestId,
    });
  });
  return { url: `${publicBase(opts.requestOrigin)}${CONNECT_PATH}/${token}`, expiresAt: expiresAt.toISOString() };
}
