import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db, tablesContaining, useTestDb } from "../testing/db";
import { expectAppError } from "../testing/errors";
import { createWorkspace, suffix, tokenActor, userInWorkspace } from "../testing/factories";
import { generateMasterKey, type KeyRing } from "../crypto/keyring";
import { replaceKeyRing, resolveKeyRing, SecretUnavailableError } from "../crypto";
import { createCredential } from "./create-credential";
import { updateCredential } from "./update-credential";
import { deleteCredential } from "./delete-credential";
import { listCredentials } from "./list-credentials";
import { attachCredentialUsage, withSecret } from "./use-credential";
import { keyUsageCounts, rotateBatch } from "./rotate-keys";
import { applyConfig } from "../config/apply-config";
import { exportConfig } from "../config/export-config";

useTestDb();

const oldKey = generateMasterKey(`old-${suffix()}`);
const newKey = generateMasterKey(`new-${suffix()}`);
const ring = (...keys: (typeof oldKey)[]): KeyRing => ({ source: "env", keys });
const canary = () => `sk-canary-${crypto.randomBytes(12).toString("hex")}`;
const q = { limit: 50 };

beforeAll(() => replaceKeyRing(ring(oldKey)));

describe("credentials store", () => {
  it("stores only a sealed value: lists show the mask, and the canary is in no table", async () => {
    const ws = await createWorkspace();
    const value = canary();
    const dto = await createCredential({
      actor: tokenActor,
      workspaceId: ws.id,
      input: { name: `openai-${suffix()}`, kind: "api-key", value, description: "" },
    });
    expect(dto.mask).toBe(`sk-...${value.slice(-4)}`);
    expect(JSON.stringify(dto)).not.toContain(value);
    const listed = await listCredentials({ actor: tokenActor, workspaceId: ws.id, query: q });
    expect(listed.data.map((c) => c.id)).toEqual([dto.id]);
    expect(JSON.stringify(listed)).not.toContain(value);
    // The client hides the secret column unless a query asks for it.
    const row = await db.credential.findUnique({ where: { id: dto.id } });
    expect(row && "ciphertext" in row).toBe(false);
    expect(await tablesContaining(value)).toEqual({});
    expect(await withSecret({ credentialId: dto.id, workspaceId: ws.id }, (v) => v)).toBe(value);
  });

  it("replacing a value never reveals the old one and records a redacted audit entry", async () => {
    const ws = await createWorkspace();
    const [v1, v2] = [canary(), canary()];
    const dto = await createCredential({
      actor: tokenActor,
      workspaceId: ws.id,
      input: { name: `k-${suffix()}`, kind: "api-key", value: v1, description: "" },
    });
    const after = await updateCredential({ actor: tokenActor, workspaceId: ws.id, credentialId: dto.id, input: { value: v2 } });
    expect(after.mask.endsWith(v2.slice(-4))).toBe(true);
    expect(await withSecret({ credentialId: dto.id, workspaceId: ws.id }, (v) => v)).toBe(v2);
    const audit = await db.auditEntry.findMany({ where: { targetId: dto.id } });
    expect(audit.map((a) => a.action).sort()).toEqual(["credential.create", "credential.replace"]);
    expect(await tablesContaining(v1)).toEqual({});
    expect(await tablesContaining(v2)).toEqual({});
  });

  it("a credential is not usable from another workspace, and a ciphertext copied there does not decrypt", async () => {
    const [a, b] = [await createWorkspace(), await createWorkspace()];
    const secretA = canary();
    const credA = await createCredential({
      actor: tokenActor,
      workspaceId: a.id,
      input: { name: `a-${suffix()}`, kind: "api-key", value: secretA, description: "" },
    });
    const credB = await createCredential({
      actor: tokenActor,
      workspaceId: b.id,
      input: { name: `b-${suffix()}`, kind: "api-key", value: canary(), description: "" },
    });
    await expectAppError(
      withSecret({ credentialId: credA.id, workspaceId: b.id }, (v) => v),
      "not_found",
    );
    await db.$executeRawUnsafe(
      `UPDATE "Credential" SET ciphertext = (SELECT ciphertext FROM "Credential" WHERE id = $1) WHERE id = $2`,
      credA.id,
      credB.id,
    );
    await expect(withSecret({ credentialId: credB.id, workspaceId: b.id }, (v) => v)).rejects.toBeInstanceOf(SecretUnavailableError);
  });

  it("only the workspace's Admins manage its credentials", async () => {
    const { ws, actor: builder } = await userInWorkspace("BUILDER");
    const input = { name: `x-${suffix()}`, kind: "api-key" as const, value: canary(), description: "" };
    await expectAppError(createCredential({ actor: builder, workspaceId: ws.id, input }), "forbidden");
    const { actor: outsider } = await userInWorkspace("ADMIN");
    await expectAppError(listCredentials({ actor: outsider, workspaceId: ws.id, query: q }), "not_found");
    await expectAppError(createCredential({ actor: outsider, workspaceId: null, input }), "forbidden");
  });

  it("refuses to delete a credential while something uses it, naming the user", async () => {
    const ws = await createWorkspace();
    const dto = await createCredential({
      actor: tokenActor,
      workspaceId: ws.id,
      input: { name: `used-${suffix()}`, kind: "webhook-secret", value: canary(), description: "" },
    });
    await db.$transaction((tx) =>
      attachCredentialUsage(tx, { credentialId: dto.id, ownerType: "webhook", ownerId: "wh_1", label: "github-events" }),
    );
    const err = await expectAppError(deleteCredential({ actor: tokenActor, workspaceId: ws.id, credentialId: dto.id }), "conflict");
    expect(err.message).toContain("github-events");
    expect(await db.credential.count({ where: { id: dto.id } })).toBe(1);
    await db.credentialUsage.deleteMany({ where: { credentialId: dto.id } });
    await deleteCredential({ actor: tokenActor, workspaceId: ws.id, credentialId: dto.id });
    expect(await db.credential.count({ where: { id: dto.id } })).toBe(0);
  });

  it("duplicate names in one workspace are a conflict on the name field", async () => {
    const ws = await createWorkspace();
    const name = `dup-${suffix()}`;
    await createCredential({ actor: tokenActor, workspaceId: ws.id, input: { name, kind: "api-key", value: canary(), description: "" } });
    const err = await expectAppError(
      createCredential({
        actor: tokenActor,
        workspaceId: ws.id,
        input: { name: name.toUpperCase(), kind: "api-key", value: canary(), description: "" },
      }),
      "conflict",
    );
    expect(err.fields?.[0].path).toBe("name");
  });
});

describe("key rotation", () => {
  it("can be interrupted and resumed; every value stays readable; counts reach zero for the old key", async () => {
    replaceKeyRing(ring(oldKey));
    const ws = await createWorkspace();
    const values = Array.from({ length: 5 }, canary);
    const ids: string[] = [];
    for (const value of values) {
      ids.push(
        (
          await createCredential({
            actor: tokenActor,
            workspaceId: ws.id,
            input: { name: `r-${suffix()}`, kind: "api-key", value, description: "" },
          })
        ).id,
      );
    }
    replaceKeyRing(ring(newKey, oldKey));
    const before = await keyUsageCounts();
    expect(before.find((k) => k.keyId === oldKey.id)?.count).toBeGreaterThanOrEqual(5);

    // One batch of two, then "crash": rows under both keys must decrypt.
    // (Rows left by other tests or earlier runs may be in the batch; those under unknown keys fail and stay.)
    const first = await rotateBatch({ batchSize: 2 });
    expect(first.rotated + first.failed.length).toBe(2);
    for (const [i, id] of ids.entries()) expect(await withSecret({ credentialId: id, workspaceId: ws.id }, (v) => v)).toBe(values[i]);

    // Resume until done.
    let afterId = first.lastId ?? undefined;
    for (;;) {
      const r = await rotateBatch({ batchSize: 2, afterId });
      if (!r.lastId) break;
      afterId = r.lastId;
    }
    // (Rows another test tampered with on purpose cannot be re-encrypted and stay behind.)
    expect(await db.credential.count({ where: { id: { in: ids }, keyId: oldKey.id } })).toBe(0);
    const counts = await keyUsageCounts();
    expect(counts.find((k) => k.current)?.keyId).toBe(newKey.id);
    expect(counts.find((k) => k.current)?.count).toBeGreaterThanOrEqual(5);

    // The old key can now be retired.
    replaceKeyRing(ring(newKey));
    for (const [i, id] of ids.entries()) expect(await withSecret({ credentialId: id, workspaceId: ws.id }, (v) => v)).toBe(values[i]);
  });

  it("an unknown key id is an explicit error, never a pass-through", async () => {
    replaceKeyRing(ring(oldKey));
    const ws = await createWorkspace();
    const value = canary();
    const dto = await createCredential({
      actor: tokenActor,
      workspaceId: ws.id,
      input: { name: `u-${suffix()}`, kind: "api-key", value, description: "" },
    });
    replaceKeyRing(ring(newKey));
    const err = await withSecret({ credentialId: dto.id, workspaceId: ws.id }, (v) => v).catch((e) => e);
    expect(err).toBeInstanceOf(SecretUnavailableError);
    expect((err as SecretUnavailableError).reason).toBe("unknown_key");
    expect(String(err.message)).not.toContain(value);
    replaceKeyRing(ring(newKey, oldKey));
  });

  it("a PostgreSQL deployment without keys refuses to store secrets", () => {
    expect(resolveKeyRing({ databaseUrl: "postgresql://x", dataDir: "/nonexistent" })).toBeNull();
    replaceKeyRing(null);
    return expectAppError(
      createCredential({
        actor: tokenActor,
        workspaceId: null,
        input: { name: `n-${suffix()}`, kind: "api-key", value: canary(), description: "" },
      }),
      "unavailable",
    ).finally(() => replaceKeyRing(ring(newKey, oldKey)));
  });
});

describe("credentials in configuration files", () => {
  it("applies ${env:...} secrets idempotently and exports references, never values", async () => {
    replaceKeyRing(ring(newKey, oldKey));
    const wsName = `cfg-${suffix()}`;
    const value = canary();
    const env = { CANARY_SECRET: value };
    // Sent by a token, as through the API: the operator allows the variable.
    const envAllowed = (n: string) => n === "CANARY_SECRET";
    const doc = {
      workspaces: [{ name: wsName }],
      credentials: [{ name: "slack-token", workspace: wsName, kind: "api-key", value: "${env:CANARY_SECRET}" }],
    };
    const first = await applyConfig({ actor: tokenActor, doc, lookupEnv: (n) => env[n as keyof typeof env], envAllowed });
    expect(first.summary.create).toBe(2);
    const second = await applyConfig({ actor: tokenActor, doc, lookupEnv: (n) => env[n as keyof typeof env], envAllowed });
    expect(second.summary).toMatchObject({ create: 0, update: 0, unchanged: 2 });
    const rotated = await applyConfig({ actor: tokenActor, doc, lookupEnv: () => canary(), envAllowed });
    expect(rotated.changes.find((c) => c.section === "credentials")).toMatchObject({ action: "update", fields: ["value"] });

    const exported = JSON.stringify(await exportConfig({ actor: tokenActor }));
    expect(exported).toContain(`\${env:SWITCHBOARD_SECRET_${wsName.toUpperCase().replace(/-/g, "_")}_SLACK_TOKEN}`);
    expect(exported).not.toContain(value);
    expect(await tablesContaining(value)).toEqual({});
  });

  it("a credential for a missing workspace is refused by path and nothing is applied", async () => {
    const name = `orphan-${suffix()}`;
    const err = await expectAppError(
      applyConfig({ actor: tokenActor, doc: { credentials: [{ name, workspace: `missing-${suffix()}`, value: "x".repeat(20) }] } }),
      "validation_failed",
    );
    expect(err.fields?.[0].path).toBe("credentials[0].workspace");
    expect(await db.credential.count({ where: { name } })).toBe(0);
  });
});
