import { describe, expect, it } from "vitest";
import { createAdminToken, listAdminTokens, revokeAdminToken } from "./admin-tokens";
import { actorFromAdminToken } from "../auth/actor";
import { env } from "../env";
import { createUser, suffix, userInWorkspace } from "../testing/factories";
import { db, tablesContaining, useTestDb } from "../testing/db";
import { expectAppError } from "../testing/errors";

useTestDb();

describe("admin tokens", () => {
  it("returns the token once; the database holds only its hash and prefix", async () => {
    const { actor } = await createUser({ isInstanceAdmin: true });
    const name = `ci ${suffix()}`;
    const { token, adminToken } = await createAdminToken({ actor, input: { name } });
    expect(token).toMatch(/^sbat_[A-Za-z0-9_-]{43}$/);
    expect(adminToken).toMatchObject({
      name,
      prefix: token.slice(0, 12),
      source: "console",
      createdBy: actor.email,
      revokedAt: null,
      lastUsedAt: null,
    });
    expect(JSON.stringify(adminToken)).not.toContain(token);
    expect(await tablesContaining(token)).toEqual({});
    expect(await tablesContaining(token.slice(12))).toEqual({});
    const listed = await listAdminTokens({ actor, query: { limit: 50, q: name } });
    expect(listed.data.map((t) => t.id)).toEqual([adminToken.id]);
    expect(JSON.stringify(listed)).not.toContain(token.slice(12));
    expect(listed.data[0]).not.toHaveProperty("tokenHash");
  });

  it("authenticates with the token and records when it was last used", async () => {
    const { actor } = await createUser({ isInstanceAdmin: true });
    const { token, adminToken } = await createAdminToken({ actor, input: { name: `use ${suffix()}` } });
    await expect(actorFromAdminToken(`  ${token}\n`)).resolves.toEqual({ type: "token", id: adminToken.id, name: adminToken.name });
    const row = await db.adminToken.findUniqueOrThrow({ where: { id: adminToken.id } });
    expect(row.lastUsedAt).toBeInstanceOf(Date);
    expect(Date.now() - row.lastUsedAt!.getTime()).toBeLessThan(60_000);
  });

  it("stops working once revoked; revoking twice is harmless", async () => {
    const { actor } = await createUser({ isInstanceAdmin: true });
    const { token, adminToken } = await createAdminToken({ actor, input: { name: `rev ${suffix()}` } });
    const revoked = await revokeAdminToken({ actor, tokenId: adminToken.id });
    expect(revoked.revokedAt).not.toBeNull();
    const e = await expectAppError(actorFromAdminToken(token), "unauthenticated");
    expect(e.message).not.toContain(token);
    await revokeAdminToken({ actor, tokenId: adminToken.id });
    expect(await db.auditEntry.count({ where: { targetId: adminToken.id, action: "token.revoke" } })).toBe(1);
    expect((await listAdminTokens({ actor, query: { limit: 50, q: adminToken.name } })).data).toEqual([]);
    expect((await listAdminTokens({ actor, query: { limit: 50, q: adminToken.name, includeRevoked: true } })).data).toHaveLength(1);
  });

  it("refuses an expired token", async () => {
    const { actor } = await createUser({ isInstanceAdmin: true });
    const { token, adminToken } = await createAdminToken({ actor, input: { name: `exp ${suffix()}`, expiresInDays: 1 } });
    expect(new Date(adminToken.expiresAt!).getTime() - Date.now()).toBeGreaterThan(86_000_000);
    await expect(actorFromAdminToken(token)).resolves.toMatchObject({ id: adminToken.id });
    await db.adminToken.update({ where: { id: adminToken.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expectAppError(actorFromAdminToken(token), "unauthenticated");
  });

  it("refuses hostile or malformed bearer values with the same error", async () => {
    const { actor } = await createUser({ isInstanceAdmin: true });
    const { token } = await createAdminToken({ actor, input: { name: `h ${suffix()}` } });
    const messages = new Set<string>();
    for (const bad of [
      "",
      "' OR 1=1--",
      "x".repeat(10_000),
      `${token}\u0000`,
      token.slice(0, -1),
      token.toUpperCase(),
      `sbat_${"A".repeat(43)}`,
      "Bearer " + token,
    ]) {
      messages.add((await expectAppError(actorFromAdminToken(bad), "unauthenticated")).message);
    }
    expect([...messages]).toEqual(["Invalid or revoked admin token"]);
  });

  it("accepts SWITCHBOARD_ADMIN_TOKEN from the environment", async () => {
    expect(env.SWITCHBOARD_ADMIN_TOKEN).toBeTruthy();
    await expect(actorFromAdminToken(env.SWITCHBOARD_ADMIN_TOKEN!)).resolves.toEqual({
      type: "token",
      id: null,
      name: "SWITCHBOARD_ADMIN_TOKEN",
    });
    await expectAppError(actorFromAdminToken(env.SWITCHBOARD_ADMIN_TOKEN! + "x"), "unauthenticated");
  });

  it("only instance admins (and tokens) can create, list or revoke tokens", async () => {
    const { actor: wsAdmin } = await userInWorkspace("ADMIN");
    const name = `no ${suffix()}`;
    await expectAppError(createAdminToken({ actor: wsAdmin, input: { name } }), "forbidden");
    await expectAppError(listAdminTokens({ actor: wsAdmin, query: { limit: 10 } }), "forbidden");
    const { actor } = await createUser({ isInstanceAdmin: true });
    const { adminToken } = await createAdminToken({ actor, input: { name: `keep ${suffix()}` } });
    await expectAppError(revokeAdminToken({ actor: wsAdmin, tokenId: adminToken.id }), "forbidden");
    expect(await db.adminToken.count({ where: { name } })).toBe(0);
    expect((await db.adminToken.findUniqueOrThrow({ where: { id: adminToken.id } })).revokedAt).toBeNull();
    // A token may mint a token (it acts as instance admin); the audit names it.
    const tokenActor = await actorFromAdminToken(env.SWITCHBOARD_ADMIN_TOKEN!);
    const minted = await createAdminToken({ actor: tokenActor, input: { name: `minted ${suffix()}` } });
    expect(minted.adminToken.createdBy).toBeNull();
    expect(await db.auditEntry.findFirst({ where: { targetId: minted.adminToken.id } })).toMatchObject({
      actorType: "token",
      actorLabel: "token:SWITCHBOARD_ADMIN_TOKEN",
    });
  });
});
