import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "../auth/actor";
import { applyConfig } from "../config/apply-config";
import { configToYaml, exportConfig } from "../config/export-config";
import { readGatewayVersion } from "../gateway/version";
import { createModel } from "../models/create-model";
import { deleteModel } from "../models/delete-model";
import { getModel } from "../models/get-model";
import { updateModel } from "../models/update-model";
import { createUser, suffix, tokenActor, userInWorkspace } from "../testing/factories";
import { db, rowCounts, tablesContaining, useTestDb } from "../testing/db";
import { expectAppError } from "../testing/errors";
import { keyEnvName } from "./config-keys";
import { createVirtualKey } from "./create-key";
import { hashKey } from "./key-dto";
import { getVirtualKey, listVirtualKeys } from "./list-keys";
import { revokeVirtualKey } from "./revoke-key";
import { updateVirtualKey } from "./update-key";

useTestDb();

const model = async (name = `m-${suffix()}`) => {
  const { actor } = await createUser({ isInstanceAdmin: true });
  await createModel({ actor, input: { name, contextWindow: 1000, maxOutputTokens: 100 } });
  return name;
};
const list = (actor: Actor, workspaceId: string, extra: Record<string, unknown> = {}) =>
  listVirtualKeys({ actor, query: { workspaceId, limit: 50, ...extra } });

describe("workspace keys", () => {
  it("returns the value once; the database holds only its hash and a prefix", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    const m = await model();
    const before = await readGatewayVersion(db);
    const { value, key } = await createVirtualKey({
      actor,
      workspaceId: ws.id,
      input: {
        name: "research-bot",
        owner: "ana@example.test",
        allowedModels: [m.toUpperCase()],
        rpm: 600,
        tpm: 50_000,
        monthlyBudgetUsd: "100",
        expiresAt: null,
      },
    });
    expect(value).toMatch(/^sbk_[A-Za-z0-9_-]{43}$/);
    expect(key).toMatchObject({
      name: "research-bot",
      prefix: value.slice(0, 12),
      allowedModels: [m],
      rpm: 600,
      tpm: 50_000,
      monthlyBudgetUsd: "100.000000",
      status: "active",
      source: "console",
    });
    expect(JSON.stringify(key)).not.toContain(value.slice(12));
    expect(await tablesContaining(value)).toEqual({});
    expect(await tablesContaining(value.slice(12))).toEqual({});
    expect((await db.virtualKey.findUniqueOrThrow({ where: { id: key.id } })).keyHash).toBe(hashKey(value));
    expect(await readGatewayVersion(db)).toBe(before + 1);
    const audit = await db.auditEntry.findFirstOrThrow({ where: { targetId: key.id, action: "key.create" } });
    expect(audit.workspaceId).toBe(ws.id);
    expect(JSON.stringify(audit)).not.toContain(value.slice(12));
    const listed = await list(actor, ws.id);
    expect(listed.data.map((k) => k.id)).toEqual([key.id]);
    expect(listed.data[0]).not.toHaveProperty("keyHash");
  });

  it("refuses a duplicate name (any case) with 409 on name, and an unknown model by index", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    const m = await model();
    await createVirtualKey({ actor, workspaceId: ws.id, input: { name: "bot", owner: "", allowedModels: [] } });
    const dup = await expectAppError(
      createVirtualKey({ actor, workspaceId: ws.id, input: { name: "BOT", owner: "", allowedModels: [] } }),
      "conflict",
    );
    expect(dup.fields?.[0].path).toBe("name");
    const bad = await expectAppError(
      createVirtualKey({ actor, workspaceId: ws.id, input: { name: "other", owner: "", allowedModels: [m, `nope-${suffix()}`] } }),
      "validation_failed",
    );
    expect(bad.fields?.map((f) => f.path)).toEqual(["allowedModels[1]"]);
    expect((await list(actor, ws.id)).data.map((k) => k.name)).toEqual(["bot"]);
    // The same name in another workspace is fine.
    const other = await userInWorkspace("ADMIN");
    await createVirtualKey({ actor: other.actor, workspaceId: other.ws.id, input: { name: "bot", owner: "", allowedModels: [] } });
  });

  it("hides a key from other workspaces: not found, never changed", async () => {
    const a = await userInWorkspace("ADMIN");
    const b = await userInWorkspace("ADMIN");
    const { key } = await createVirtualKey({ actor: a.actor, workspaceId: a.ws.id, input: { name: "mine", owner: "", allowedModels: [] } });
    await expectAppError(getVirtualKey({ actor: b.actor, keyId: key.id }), "not_found");
    await expectAppError(updateVirtualKey({ actor: b.actor, keyId: key.id, input: { rpm: 1 } }), "not_found");
    await expectAppError(revokeVirtualKey({ actor: b.actor, keyId: key.id }), "not_found");
    // An instance admin naming the wrong workspace finds nothing either.
    await expectAppError(getVirtualKey({ actor: tokenActor, keyId: key.id, workspaceId: b.ws.id }), "not_found");
    await expectAppError(list(b.actor, a.ws.id), "not_found");
    expect((await list(b.actor, b.ws.id)).data).toEqual([]);
    expect(await db.virtualKey.findUniqueOrThrow({ where: { id: key.id } })).toMatchObject({ rpm: null, revokedAt: null });
  });

  it("lets Builders read but not create, change or revoke; Members cannot read", async () => {
    const { ws, actor: admin } = await userInWorkspace("ADMIN");
    const { actor: builder } = await userInWorkspace("BUILDER", ws.id);
    const { actor: member } = await userInWorkspace("MEMBER", ws.id);
    const { key } = await createVirtualKey({ actor: admin, workspaceId: ws.id, input: { name: "k1", owner: "", allowedModels: [] } });
    await expectAppError(
      createVirtualKey({ actor: builder, workspaceId: ws.id, input: { name: "k2", owner: "", allowedModels: [] } }),
      "forbidden",
    );
    await expectAppError(updateVirtualKey({ actor: builder, keyId: key.id, input: { rpm: 5 } }), "forbidden");
    await expectAppError(revokeVirtualKey({ actor: builder, keyId: key.id }), "forbidden");
    expect((await list(builder, ws.id)).data.map((k) => k.name)).toEqual(["k1"]);
    expect(await getVirtualKey({ actor: builder, keyId: key.id })).toMatchObject({ name: "k1" });
    await expectAppError(list(member, ws.id), "forbidden");
    expect(await db.virtualKey.count({ where: { workspaceId: ws.id } })).toBe(1);
  });

  it("updates limits with an audit entry and a version bump; a no-op writes nothing", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    const m1 = await model();
    const m2 = await model();
    const { key } = await createVirtualKey({
      actor,
      workspaceId: ws.id,
      input: { name: "edit-me", owner: "", allowedModels: [m1], rpm: 10 },
    });
    const v0 = await readGatewayVersion(db);
    const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const after = await updateVirtualKey({
      actor,
      keyId: key.id,
      input: { rpm: 20, tpm: null, monthlyBudgetUsd: "12.5", allowedModels: [m1, m2], expiresAt },
    });
    expect(after).toMatchObject({ rpm: 20, monthlyBudgetUsd: "12.500000", allowedModels: [m1, m2], expiresAt });
    expect(await readGatewayVersion(db)).toBe(v0 + 1);
    const audit = await db.auditEntry.findFirstOrThrow({ where: { targetId: key.id, action: "key.update" } });
    expect(audit.changes).toEqual({
      rpm: { from: 10, to: 20 },
      monthlyBudgetUsd: { from: null, to: "12.500000" },
      allowedModels: { from: [m1], to: [m1, m2] },
      expiresAt: { from: null, to: expiresAt },
    });
    await updateVirtualKey({ actor, keyId: key.id, input: { rpm: 20 } });
    expect(await readGatewayVersion(db)).toBe(v0 + 1);
    expect(await db.auditEntry.count({ where: { targetId: key.id, action: "key.update" } })).toBe(1);
    const bad = await expectAppError(
      updateVirtualKey({ actor, keyId: key.id, input: { allowedModels: [`x-${suffix()}`] } }),
      "validation_failed",
    );
    expect(bad.fields?.[0].path).toBe("allowedModels[0]");
  });

  it("revokes once (idempotent), filters by status and searches by name, owner or prefix", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    const live = await createVirtualKey({ actor, workspaceId: ws.id, input: { name: "live", owner: "team-search", allowedModels: [] } });
    const gone = await createVirtualKey({ actor, workspaceId: ws.id, input: { name: "gone", owner: "", allowedModels: [] } });
    const old = await createVirtualKey({ actor, workspaceId: ws.id, input: { name: "old", owner: "", allowedModels: [] } });
    await db.virtualKey.update({ where: { id: old.key.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const v0 = await readGatewayVersion(db);
    const revoked = await revokeVirtualKey({ actor, keyId: gone.key.id, workspaceId: ws.id });
    expect(revoked.status).toBe("revoked");
    await revokeVirtualKey({ actor, keyId: gone.key.id });
    expect(await readGatewayVersion(db)).toBe(v0 + 1);
    expect(await db.auditEntry.count({ where: { targetId: gone.key.id, action: "key.revoke" } })).toBe(1);
    await expectAppError(updateVirtualKey({ actor, keyId: gone.key.id, input: { rpm: 1 } }), "conflict");
    const names = async (extra: Record<string, unknown>) => (await list(actor, ws.id, extra)).data.map((k) => k.name);
    expect(await names({ status: "active" })).toEqual(["live"]);
    expect(await names({ status: "revoked" })).toEqual(["gone"]);
    expect(await names({ status: "expired" })).toEqual(["old"]);
    expect(await names({ q: "TEAM-SEARCH" })).toEqual(["live"]);
    expect(await names({ q: live.key.prefix })).toEqual(["live"]);
    // A revoked key's name can be used again.
    await createVirtualKey({ actor, workspaceId: ws.id, input: { name: "gone", owner: "", allowedModels: [] } });
    // Paging.
    const p1 = await list(actor, ws.id, { limit: 2 });
    const p2 = await list(actor, ws.id, { limit: 2, cursor: p1.nextCursor });
    expect(p1.nextCursor).not.toBeNull();
    expect(new Set([...p1.data, ...p2.data].map((k) => k.id)).size).toBe(4);
    expect(p2.nextCursor).toBeNull();
  });
});

describe("models used by workspace keys", () => {
  it("refuses to delete a model a live key allows, naming the key only to instance admins", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    const { actor: builder } = await userInWorkspace("BUILDER");
    const m = await model();
    const modelRow = await db.model.findUniqueOrThrow({ where: { name: m } });
    const { key } = await createVirtualKey({ actor, workspaceId: ws.id, input: { name: "uses-it", owner: "", allowedModels: [m] } });
    const e = await expectAppError(deleteModel({ actor: tokenActor, modelId: modelRow.id, force: true }), "conflict");
    expect(e.fields).toEqual([{ path: "dependents.workspace-key", message: `API key uses-it in ${ws.name}` }]);
    expect((await getModel({ actor: tokenActor, modelId: modelRow.id })).dependents.map((d) => d.kind)).toEqual(["workspace-key"]);
    expect((await getModel({ actor: builder, modelId: modelRow.id })).dependents).toEqual([]);
    await revokeVirtualKey({ actor, keyId: key.id });
    await deleteModel({ actor: tokenActor, modelId: modelRow.id });
    expect(await db.model.count({ where: { name: m } })).toBe(0);
  });
});

describe("renaming a model", () => {
  it("keeps the keys that allowed it allowing it", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    const [m1, m2] = [await model(), await model()];
    const { key } = await createVirtualKey({ actor, workspaceId: ws.id, input: { name: "follows", owner: "", allowedModels: [m1, m2] } });
    const v0 = await readGatewayVersion(db);
    const row = await db.model.findUniqueOrThrow({ where: { name: m1 } });
    await updateModel({ actor: tokenActor, modelId: row.id, input: { name: `${m1}-renamed` } });
    expect((await getVirtualKey({ actor, keyId: key.id })).allowedModels).toEqual([`${m1}-renamed`, m2]);
    expect(await readGatewayVersion(db)).toBeGreaterThan(v0);
  });
});

describe("workspace keys in the configuration file", () => {
  const actor: Actor = { type: "config", source: "switchboard.yaml" };
  const secret = () => `sbk_${crypto.randomBytes(32).toString("base64url")}`;

  it("creates, re-applies unchanged, rotates, revokes missing keys and exports no value", async () => {
    const s = suffix();
    const wsName = `Keys ${s}`;
    const m = `cfg-model-${s}`;
    const v1 = secret();
    const doc = (value: string, keys?: object[]) => ({
      workspaces: [
        {
          name: wsName,
          keys: keys ?? [
            { name: "research-bot", value: "${env:RESEARCH_KEY}", models: [m], rpm: 600, monthlyBudgetUsd: 100 },
            { name: "spare", value: "${env:SPARE_KEY}" },
          ],
        },
      ],
      models: [{ name: m, contextWindow: 1000, maxOutputTokens: 100 }],
    });
    const env = (research: string) => (n: string) => ({ RESEARCH_KEY: research, SPARE_KEY: `${v1}-spare` })[n];
    // The key names a model the same file declares (applied after workspaces).
    const dry = await applyConfig({ actor, doc: doc(v1), lookupEnv: env(v1), dryRun: true });
    expect(dry.changes.filter((c) => c.section === "keys").map((c) => c.action)).toEqual(["create", "create"]);
    expect(await db.workspace.count({ where: { name: wsName } })).toBe(0);

    const first = await applyConfig({ actor, doc: doc(v1), lookupEnv: env(v1) });
    expect(first.changes.filter((c) => c.section === "keys")).toEqual([
      { section: "keys", name: `${wsName}/research-bot`, action: "create" },
      { section: "keys", name: `${wsName}/spare`, action: "create" },
    ]);
    const ws = await db.workspace.findFirstOrThrow({ where: { name: wsName } });
    const row = await db.virtualKey.findFirstOrThrow({ where: { workspaceId: ws.id, name: "research-bot" } });
    expect(row).toMatchObject({ keyHash: hashKey(v1), prefix: v1.slice(0, 12), source: "config", rpm: 600, allowedModels: [m] });
    expect(row.monthlyBudgetUsd?.toFixed(2)).toBe("100.00");

    const counts = await rowCounts();
    const version = await readGatewayVersion(db);
    const second = await applyConfig({ actor, doc: doc(v1), lookupEnv: env(v1) });
    expect(second.summary.create + second.summary.update).toBe(0);
    expect(await rowCounts()).toEqual(counts);
    expect(await readGatewayVersion(db)).toBe(version);

    // A new value rotates the key in place; dropping a key from the list revokes it.
    const v2 = secret();
    const third = await applyConfig({
      actor,
      doc: doc(v2, [{ name: "research-bot", value: "${env:RESEARCH_KEY}", models: [m], rpm: 600, monthlyBudgetUsd: 100 }]),
      lookupEnv: env(v2),
    });
    expect(third.changes.filter((c) => c.section === "keys")).toEqual([
      { section: "keys", name: `${wsName}/research-bot`, action: "update", fields: ["value"] },
      { section: "keys", name: `${wsName}/spare`, action: "update", fields: ["revokedAt"] },
    ]);
    const rotated = await db.virtualKey.findUniqueOrThrow({ where: { id: row.id } });
    expect(rotated).toMatchObject({ keyHash: hashKey(v2), prefix: v2.slice(0, 12), revokedAt: null });
    expect(await db.virtualKey.findFirstOrThrow({ where: { workspaceId: ws.id, name: "spare" } })).toMatchObject({
      revokedAt: expect.any(Date),
    });
    expect(await db.auditEntry.count({ where: { targetId: row.id, action: "key.rotate" } })).toBe(1);
    expect(await tablesContaining(v2)).toEqual({});
    expect(await readGatewayVersion(db)).toBeGreaterThan(version);

    const exported = await exportConfig({ actor: tokenActor });
    const mine = (exported.workspaces as { name: string; keys?: unknown[] }[]).find((w) => w.name === wsName);
    expect(mine?.keys).toEqual([
      { name: "research-bot", value: `\${env:${keyEnvName(wsName, "research-bot")}}`, models: [m], rpm: 600, monthlyBudgetUsd: 100 },
    ]);
    expect(keyEnvName(wsName, "research-bot")).toBe(`SWITCHBOARD_KEY_KEYS_${s.toUpperCase()}_RESEARCH_BOT`);
    const yaml = configToYaml(exported);
    expect(yaml).not.toContain(v2);
    expect(yaml).not.toContain(v2.slice(0, 12));
  });

  it("reports an unknown model by its path and applies nothing", async () => {
    const s = suffix();
    const m = await model();
    const doc = {
      workspaces: [
        { name: `Ref ${s}` },
        {
          name: `Ref ${s} b`,
          keys: [
            { name: "ok", value: secret(), models: [m] },
            { name: "bad", value: secret(), models: [`ghost-${s}`] },
          ],
        },
      ],
    };
    const e = await expectAppError(applyConfig({ actor, doc }), "validation_failed");
    expect(e.fields).toEqual([{ path: "workspaces[1].keys[1].models[0]", message: `No model named "ghost-${s}"` }]);
    expect(await db.workspace.count({ where: { name: { startsWith: `Ref ${s}` } } })).toBe(0);
    const dup = await expectAppError(
      applyConfig({
        actor,
        doc: {
          workspaces: [
            {
              name: `Ref ${s}`,
              keys: [
                { name: "ab", value: secret() },
                { name: "AB", value: secret() },
              ],
            },
          ],
        },
      }),
      "validation_failed",
    );
    expect(dup.fields?.map((f) => f.path)).toEqual(["workspaces[0].keys[1].name"]);
  });

  it("refuses a config key whose name a console key already uses, by path", async () => {
    const { ws, actor: admin } = await userInWorkspace("ADMIN");
    await createVirtualKey({ actor: admin, workspaceId: ws.id, input: { name: "taken", owner: "", allowedModels: [] } });
    const e = await expectAppError(
      applyConfig({ actor, doc: { workspaces: [{ name: ws.name, keys: [{ name: "taken", value: secret() }] }] } }),
      "conflict",
    );
    expect(e.fields?.[0].path).toBe("workspaces[0].keys[0].name");
    expect(await db.virtualKey.count({ where: { workspaceId: ws.id } })).toBe(1);
  });
});
