import { beforeAll, describe, expect, it } from "vitest";
import * as mine from "../../app/api/admin/me/connectors/route";
import * as mineById from "../../app/api/admin/me/connectors/[id]/route";
import type { Actor } from "../auth/actor";
import { canOpenPage, roleAllows } from "../auth/permissions";
import { createConnector } from "../connectors/create-connector";
import { deleteConnector } from "../connectors/delete-connector";
import { getConnector } from "../connectors/get-connector";
import { listConnectorCalls } from "../connectors/list-calls";
import { listConnectors } from "../connectors/list-connectors";
import { testConnection } from "../connectors/test-connection";
import { updateConnector } from "../connectors/update-connector";
import { createProvider } from "../providers/import-provider";
import { db, useTestDb } from "../testing/db";
import { expectAppError } from "../testing/errors";
import { createWorkspace, suffix, tokenActor, userInWorkspace } from "../testing/factories";
import { createAdminToken } from "../tokens/admin-tokens";
import { notesDocument } from "../testing/oauth-server";
import { createConnectSession } from "./connect-session";
import { deleteConnection, listConnections } from "./connections";
import { getMyConnector, listMyConnectors } from "./my-connectors";

// A Member's own view of connectors: only public connectors that act for end users (oauth-user, hybrid), only
// their own connection (end user id = their email), connect links only for themselves, and none of the
// connector management a Builder has.
useTestDb();
beforeAll(() => db.adminToken.count(), 60_000);

const AUTHZ = { authorizeUrl: "https://auth.example.test/authorize", tokenUrl: "https://auth.example.test/token" };

async function connectorIn(workspaceId: string, providerId: string, extra: { public: boolean; auth: Record<string, unknown> }) {
  return createConnector({
    actor: tokenActor,
    workspaceId,
    input: {
      providerId,
      name: `notes-${suffix()}`,
      description: "Team notes",
      customBaseUrl: false,
      pinnedVersionId: "latest",
      params: {},
      internal: false,
      ...extra,
    } as never,
  });
}

const oauthUser = {
  mode: "oauth-user",
  clientId: "switchboard",
  clientSecret: "s3cret-client",
  scopes: ["openid", "notes.read"],
  ...AUTHZ,
};

async function connection(workspaceId: string, connectorId: string, endUserId: string, data: Record<string, unknown> = {}) {
  // registry-neutral: test data; OAuth connections are not in the gateway's routing snapshot.
  return db.oAuthConnection.create({
    data: { workspaceId, connectorId, endUserId, scopes: ["openid", "notes.read"], accessToken: `sealed-${suffix()}`, ...data },
  });
}

async function setup() {
  const ws = await createWorkspace();
  const provider = await createProvider({
    actor: tokenActor,
    workspaceId: ws.id,
    input: { name: `Notes ${suffix()}`, document: notesDocument("https://notes.example.test", "https://auth.example.test") },
  });
  const shared = await connectorIn(ws.id, provider.id, { public: true, auth: oauthUser });
  const hybrid = await connectorIn(ws.id, provider.id, { public: true, auth: { ...oauthUser, mode: "hybrid", value: "app-token-1" } });
  const hidden = await connectorIn(ws.id, provider.id, { public: false, auth: oauthUser });
  const apiKey = await connectorIn(ws.id, provider.id, { public: true, auth: { mode: "bearer", value: "static-token-1" } });
  const member = await userInWorkspace("MEMBER", ws.id);
  return { ws, provider, shared, hybrid, hidden, apiKey, member };
}

describe("a Member's own connectors", () => {
  it("lists only public end-user OAuth connectors, with only the Member's own connection", async () => {
    const { ws, shared, hybrid, hidden, member } = await setup();
    const admin = await userInWorkspace("ADMIN", ws.id);
    const own = await connection(ws.id, shared.id, member.user.email.toUpperCase(), {
      status: "needs_reauth",
      lastError: "invalid_grant",
      expiresAt: new Date("2030-01-01T00:00:00Z"),
    });
    await connection(ws.id, shared.id, "someone-else@example.test");
    await connection(ws.id, hybrid.id, "someone-else@example.test");
    await connection(ws.id, hidden.id, member.user.email);

    const page = await listMyConnectors({ actor: member.actor, query: { workspaceId: ws.id, limit: 50 } });
    expect(page.data.map((c) => c.id).sort()).toEqual([shared.id, hybrid.id].sort());
    const s = page.data.find((c) => c.id === shared.id)!;
    expect(s).toMatchObject({
      name: shared.name,
      description: "Team notes",
      authMode: "oauth-user",
      scopes: ["openid", "notes.read"],
      connection: { id: own.id, status: "needs_reauth", lastError: "invalid_grant", expiresAt: "2030-01-01T00:00:00.000Z" },
    });
    expect(page.data.find((c) => c.id === hybrid.id)!.connection).toBeNull();
    // Nothing of the settings or secrets, and no one else's end user id.
    const text = JSON.stringify(page);
    for (const leak of ["someone-else", "s3cret", "app-token-1", "clientId", "switchboard", "auth.example.test", "sealed-"])
      expect(text, leak).not.toContain(leak);
    // Search narrows by name.
    expect((await listMyConnectors({ actor: member.actor, query: { workspaceId: ws.id, q: hybrid.name, limit: 50 } })).data).toHaveLength(
      1,
    );

    expect((await getMyConnector({ actor: member.actor, connectorId: shared.id })).connection?.id).toBe(own.id);
    await expectAppError(getMyConnector({ actor: member.actor, connectorId: hidden.id }), "not_found");
    // An Admin sees the private one too (visibleConnectors), with their own (absent) connection only.
    const forAdmin = await listMyConnectors({ actor: admin.actor, query: { workspaceId: ws.id, limit: 50 } });
    expect(forAdmin.data.map((c) => c.id).sort()).toEqual([shared.id, hybrid.id, hidden.id].sort());
    expect(forAdmin.data.every((c) => c.connection === null)).toBe(true);
  });

  it("hides other workspaces and non-OAuth connectors, and refuses admin tokens and outsiders", async () => {
    const { ws, apiKey, shared, member } = await setup();
    const other = await setup();
    await expectAppError(getMyConnector({ actor: member.actor, connectorId: apiKey.id }), "not_found");
    await expectAppError(getMyConnector({ actor: member.actor, connectorId: other.shared.id }), "not_found");
    await expectAppError(listMyConnectors({ actor: member.actor, query: { workspaceId: other.ws.id, limit: 50 } }), "not_found");
    await expectAppError(listMyConnectors({ actor: tokenActor, query: { workspaceId: ws.id, limit: 50 } }), "forbidden");

    // Through the routes: an admin token has no connections of its own.
    const { token } = await createAdminToken({ actor: tokenActor, input: { name: `me-${suffix()}` } });
    const headers = { authorization: `Bearer ${token}` };
    const list = await mine.GET(new Request(`http://localhost/api/admin/me/connectors?workspaceId=${ws.id}`, { headers }));
    expect(list.status).toBe(403);
    const one = await mineById.GET(new Request(`http://localhost/api/admin/me/connectors/${shared.id}`, { headers }), {
      params: Promise.resolve({ id: shared.id }),
    });
    expect(one.status).toBe(403);
  });

  it("gives a Member no connector management, connect links only for their own email, and only their own connection to disconnect", async () => {
    const { ws, shared, member } = await setup();
    const actor: Actor = member.actor;
    expect(roleAllows("MEMBER", "integrations.read")).toBe(false);
    expect(canOpenPage("connectors", { role: "MEMBER", instanceAdmin: false })).toBe(true);
    expect(canOpenPage("api-providers", { role: "MEMBER", instanceAdmin: false })).toBe(false);

    await expectAppError(listConnectors({ actor, query: { workspaceId: ws.id, limit: 50 } }), "forbidden");
    await expectAppError(getConnector({ actor, connectorId: shared.id }), "forbidden");
    await expectAppError(updateConnector({ actor, connectorId: shared.id, input: { description: "x" } }), "forbidden");
    await expectAppError(testConnection({ actor, connectorId: shared.id }), "forbidden");
    await expectAppError(deleteConnector({ actor, connectorId: shared.id }), "forbidden");
    await expectAppError(listConnectorCalls({ actor, connectorId: shared.id, query: { limit: 50 } } as never), "forbidden");
    expect(await db.connector.count({ where: { id: shared.id, description: "Team notes" } })).toBe(1);

    const link = await createConnectSession({ actor, connectorId: shared.id, input: { endUserId: member.user.email } });
    expect(link.url).toMatch(/\/connect\/[A-Za-z0-9_-]+$/);
    await expectAppError(
      createConnectSession({ actor, connectorId: shared.id, input: { endUserId: "someone-else@example.test" } }),
      "forbidden",
    );
    expect(await db.connectSession.count({ where: { connectorId: shared.id } })).toBe(1);

    const theirs = await connection(ws.id, shared.id, "someone-else@example.test");
    const own = await connection(ws.id, shared.id, member.user.email);
    expect((await listConnections({ actor, connectorId: shared.id, query: { limit: 50 } })).data.map((c) => c.id)).toEqual([own.id]);
    await expectAppError(deleteConnection({ actor, connectorId: shared.id, connectionId: theirs.id }), "not_found");
    await deleteConnection({ actor, connectorId: shared.id, connectionId: own.id });
    expect(await db.oAuthConnection.findMany({ where: { connectorId: shared.id }, select: { id: true } })).toEqual([{ id: theirs.id }]);
    expect((await getMyConnector({ actor, connectorId: shared.id })).connection).toBeNull();
  });
});
