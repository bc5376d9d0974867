import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, tablesContaining, useTestDb } from "../testing/db";
import { expectAppError } from "../testing/errors";
import { createUser, suffix, tokenActor, userInWorkspace } from "../testing/factories";
import { applyConfig } from "../config/apply-config";
import { envAllowList } from "../config/env-refs";
import { exportConfig } from "../config/export-config";
import { withSecret } from "../credentials/use-credential";
import { deleteCredential } from "../credentials/delete-credential";
import { createPlatform } from "./create-platform";
import { updatePlatform } from "./update-platform";
import { deletePlatform } from "./delete-platform";
import { addPlatformKey } from "./add-platform-key";
import { updatePlatformKey } from "./update-platform-key";
import { removePlatformKey } from "./remove-platform-key";
import { getPlatform } from "./get-platform";
import { listPlatforms } from "./list-platforms";
import { testPlatformConnection } from "./test-connection";

useTestDb();

const canary = () => `sk-canary-${crypto.randomBytes(12).toString("hex")}`;
const name = (p = "OpenAI") => `${p} ${suffix()}`;
const base = { vendor: "openai" as const, baseUrl: "https://api.openai.com/v1", notes: "" };

describe("platforms", () => {
  it("stores two keys only in the credentials store: the canaries are in no table and no response", async () => {
    const [v1, v2] = [canary(), canary()];
    const p = await createPlatform({
      actor: tokenActor,
      input: {
        ...base,
        name: name(),
        keys: [
          { value: v1, description: "primary", weight: 3, enabled: true },
          { value: v2, description: "backup", weight: 1, enabled: true },
        ],
      },
    });
    expect(p.keys?.map((k) => [k.description, k.weight, k.mask])).toEqual([
      ["primary", 3, `sk-...${v1.slice(-4)}`],
      ["backup", 1, `sk-...${v2.slice(-4)}`],
    ]);
    const read = await getPlatform({ actor: tokenActor, platformId: p.id });
    for (const v of [v1, v2]) {
      expect(JSON.stringify(p)).not.toContain(v);
      expect(JSON.stringify(read)).not.toContain(v);
      expect(await tablesContaining(v)).toEqual({});
    }
    expect(await withSecret({ credentialId: read.keys![0].credentialId, workspaceId: null }, (s) => s)).toBe(v1);
    const usage = await db.credentialUsage.findMany({ where: { credentialId: read.keys![1].credentialId } });
    expect(usage).toMatchObject([{ ownerType: "platform-key", ownerId: read.keys![1].id }]);
    const audit = await db.auditEntry.findMany({ where: { targetId: p.id }, orderBy: { at: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["platform.create", "platform.key.add", "platform.key.add"]);
    expect(JSON.stringify(audit)).not.toContain(v1);
  });

  it("disabling, reweighting or replacing one key leaves the other untouched", async () => {
    const [v1, v2, v3] = [canary(), canary(), canary()];
    const p = await createPlatform({
      actor: tokenActor,
      input: {
        ...base,
        name: name(),
        keys: [
          { value: v1, description: "primary", weight: 1, enabled: true },
          { value: v2, description: "backup", weight: 1, enabled: true },
        ],
      },
    });
    const [primary, backup] = p.keys!;
    const off = await updatePlatformKey({ actor: tokenActor, platformId: p.id, keyId: backup.id, input: { enabled: false, weight: 0 } });
    expect(off).toMatchObject({ enabled: false, weight: 0 });
    await updatePlatformKey({ actor: tokenActor, platformId: p.id, keyId: backup.id, input: { value: v3 } });
    const after = await getPlatform({ actor: tokenActor, platformId: p.id });
    expect(after.keys!.find((k) => k.id === primary.id)).toMatchObject({
      enabled: true,
      weight: 1,
      mask: primary.mask,
      updatedAt: primary.updatedAt,
    });
    expect(after.keys!.find((k) => k.id === backup.id)?.mask).toBe(`sk-...${v3.slice(-4)}`);
    expect(await withSecret({ credentialId: primary.credentialId, workspaceId: null }, (s) => s)).toBe(v1);
    expect(await tablesContaining(v2)).toEqual({});
    // A key's credential cannot be deleted from the credentials page while the key uses it.
    await expectAppError(deleteCredential({ actor: tokenActor, workspaceId: null, credentialId: primary.credentialId }), "conflict");
    await removePlatformKey({ actor: tokenActor, platformId: p.id, keyId: backup.id });
    expect(await db.credential.count({ where: { id: backup.credentialId } })).toBe(0);
    expect((await getPlatform({ actor: tokenActor, platformId: p.id })).keys!.map((k) => k.id)).toEqual([primary.id]);
  });

  it("names are unique regardless of case; key descriptions are unique within a platform", async () => {
    const n = name();
    const p = await createPlatform({
      actor: tokenActor,
      input: { ...base, name: n, keys: [{ value: canary(), description: "primary", weight: 1, enabled: true }] },
    });
    const err = await expectAppError(
      createPlatform({ actor: tokenActor, input: { ...base, name: n.toUpperCase(), keys: [] } }),
      "conflict",
    );
    expect(err.fields).toEqual([{ path: "name", message: "A platform with this name already exists" }]);
    const dup = await expectAppError(
      addPlatformKey({ actor: tokenActor, platformId: p.id, input: { value: canary(), description: "PRIMARY", weight: 1, enabled: true } }),
      "conflict",
    );
    expect(dup.fields?.[0].path).toBe("description");
  });

  it("private and loopback base URLs only for internal platforms, as a field error on baseUrl", async () => {
    const err = await expectAppError(
      createPlatform({
        actor: tokenActor,
        input: { ...base, vendor: "openai-compatible", name: name(), baseUrl: "http://127.0.0.1:8000/v1", keys: [] },
      }),
      "validation_failed",
    );
    expect(err.fields?.[0].path).toBe("baseUrl");
    const p = await createPlatform({
      actor: tokenActor,
      input: { ...base, vendor: "openai-compatible", name: name(), baseUrl: "http://127.0.0.1:8000/v1", internal: true, keys: [] },
    });
    const off = await expectAppError(
      updatePlatform({ actor: tokenActor, platformId: p.id, input: { internal: false } }),
      "validation_failed",
    );
    expect(off.fields?.[0].path).toBe("baseUrl");
  });

  it("Azure gets its default API version; only instance admins change platforms; workspace Admins read them", async () => {
    const p = await createPlatform({
      actor: tokenActor,
      input: { ...base, vendor: "azure", name: name("Azure"), baseUrl: "https://r.openai.azure.com/openai", keys: [] },
    });
    expect(p.apiVersion).toBe("2024-06-01");
    const { actor: wsAdmin } = await userInWorkspace("ADMIN");
    const { actor: builder } = await userInWorkspace("BUILDER");
    const { actor: loner } = await createUser();
    await expectAppError(createPlatform({ actor: wsAdmin, input: { ...base, name: name(), keys: [] } }), "forbidden");
    await expectAppError(updatePlatform({ actor: wsAdmin, platformId: p.id, input: { notes: "x" } }), "forbidden");
    expect((await getPlatform({ actor: wsAdmin, platformId: p.id })).name).toBe(p.name);
    await expectAppError(listPlatforms({ actor: builder, query: { limit: 10 } }), "forbidden");
    await expectAppError(getPlatform({ actor: loner, platformId: p.id }), "forbidden");
  });

  it("lists with search, vendor filter and cursor paging", async () => {
    const tag = suffix();
    for (const v of ["openai", "anthropic", "openai"] as const) {
      await createPlatform({
        actor: tokenActor,
        input: {
          ...base,
          vendor: v,
          baseUrl: v === "anthropic" ? "https://api.anthropic.com/v1" : base.baseUrl,
          name: `Tagged ${tag} ${v} ${suffix()}`,
          keys: [],
        },
      });
    }
    const all = await listPlatforms({ actor: tokenActor, query: { limit: 50, q: tag } });
    expect(all.data).toHaveLength(3);
    const openai = await listPlatforms({ actor: tokenActor, query: { limit: 50, q: tag, vendor: "openai" } });
    expect(openai.data.map((p) => p.vendor)).toEqual(["openai", "openai"]);
    const first = await listPlatforms({ actor: tokenActor, query: { limit: 2, q: tag } });
    const second = await listPlatforms({ actor: tokenActor, query: { limit: 2, q: tag, cursor: first.nextCursor! } });
    expect([...first.data, ...second.data].map((p) => p.id)).toEqual(all.data.map((p) => p.id));
    expect(second.nextCursor).toBeNull();
  });

  it("refuses to delete a platform a model routes to, naming the model; then deletes it with its keys' secrets", async () => {
    const v = canary();
    const p = await createPlatform({
      actor: tokenActor,
      input: { ...base, name: name(), keys: [{ value: v, description: "", weight: 1, enabled: true }] },
    });
    const model = await db.model.create({ data: { name: `gpt-${suffix()}`, features: [], modalities: [] } });
    const route = await db.modelRoute.create({ data: { modelId: model.id, platformId: p.id } });
    expect((await getPlatform({ actor: tokenActor, platformId: p.id })).routedModels).toEqual([model.name]);
    const err = await expectAppError(deletePlatform({ actor: tokenActor, platformId: p.id }), "conflict");
    expect(err.message).toContain(model.name);
    expect(await db.platform.count({ where: { id: p.id } })).toBe(1);
    await db.modelRoute.delete({ where: { id: route.id } });
    await deletePlatform({ actor: tokenActor, platformId: p.id });
    expect(await db.platform.count({ where: { id: p.id } })).toBe(0);
    expect(await db.credential.count({ where: { id: p.keys![0].credentialId } })).toBe(0);
    expect((await db.auditEntry.findFirst({ where: { targetId: p.id, action: "platform.delete" } }))?.targetLabel).toBe(p.name);
  });
});

describe("test connection", () => {
  const good = canary();
  let server: http.Server;
  let url = "";
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const ok = req.url === "/v1/models" && req.headers.authorization === `Bearer ${good}`;
      res.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
      res.end(
        JSON.stringify(
          ok
            ? { object: "list", data: [{ id: "gpt-4-turbo", object: "model", created: 0, owned_by: "openai" }] }
            : {
                error: {
                  message: `Incorrect API key provided: ${String(req.headers.authorization).slice(7, 15)}****${String(req.headers.authorization).slice(-4)}`,
                  type: "invalid_request_error",
                  code: "invalid_api_key",
                },
              },
        ),
      );
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("marks each key valid or invalid, lists the models, and keeps the key out of the error", async () => {
    const bad = canary();
    const p = await createPlatform({
      actor: tokenActor,
      input: {
        ...base,
        vendor: "openai-compatible",
        name: name("Local"),
        baseUrl: url,
        internal: true,
        keys: [
          { value: good, description: "primary", weight: 1, enabled: true },
          { value: bad, description: "backup", weight: 1, enabled: false },
        ],
      },
    });
    const r = await testPlatformConnection({ actor: tokenActor, platformId: p.id });
    expect(r.models).toEqual(["gpt-4-turbo"]);
    expect(r.keys.map((k) => [k.description, k.status, k.httpStatus])).toEqual([
      ["primary", "valid", 200],
      ["backup", "invalid", 401],
    ]);
    expect(r.keys[1].error).toContain("Incorrect API key provided");
    // The fake echoes a partial key the way OpenAI does; only the mask may show the last four characters.
    expect(r.keys[1].error).toBe("Incorrect API key provided: [redacted]");
    expect(JSON.stringify(r)).not.toContain(bad.slice(0, 8) + "*");
    const after = await getPlatform({ actor: tokenActor, platformId: p.id });
    expect(after.keys!.map((k) => k.checkStatus)).toEqual(["valid", "invalid"]);
    expect(after.keys![0].lastCheckedAt).not.toBeNull();
    expect(after.keys![1].lastError).toContain("Incorrect API key provided");
    expect(await tablesContaining(bad.slice(-8))).toEqual({});
  });

  it("the same loopback address is refused for a platform not marked internal", async () => {
    // Created internal, then the flag is lifted directly, as if the address had changed meaning: the guard still refuses.
    const p = await createPlatform({
      actor: tokenActor,
      input: {
        ...base,
        vendor: "openai-compatible",
        name: name("Local"),
        baseUrl: url,
        internal: true,
        keys: [{ value: good, description: "", weight: 1, enabled: true }],
      },
    });
    await db.platform.update({ where: { id: p.id }, data: { internal: false } });
    const r = await testPlatformConnection({ actor: tokenActor, platformId: p.id });
    expect(r.keys[0]).toMatchObject({ status: "error", models: [] });
    expect(r.keys[0].error).toMatch(/^Blocked/);
  });
});

describe("platforms in configuration files", () => {
  it("applies idempotently, replaces a changed key value, and exports ${env:...} references only", async () => {
    const n = name("OpenAI US-West");
    const env: Record<string, string> = { P_PRIMARY: canary(), P_BACKUP: canary(), AZ: canary() };
    const azure = name("Azure");
    const doc = () => ({
      platforms: [
        {
          name: n,
          vendor: "openai",
          baseUrl: "https://api.openai.com/v1",
          keys: [
            { value: "${env:P_PRIMARY}", description: "primary", weight: 1 },
            { value: "${env:P_BACKUP}", description: "backup", weight: 1 },
          ],
        },
        {
          name: azure,
          vendor: "azure",
          baseUrl: "https://my-resource.openai.azure.com/openai",
          apiVersion: "2024-06-01",
          keys: [{ value: "${env:AZ}" }],
        },
      ],
    });
    const lookupEnv = (k: string) => env[k];
    // Sent by a token, as through the API: the operator allows these variables (SWITCHBOARD_CONFIG_ENV_ALLOW).
    const envAllowed = envAllowList("P_*,AZ");
    const first = await applyConfig({ actor: tokenActor, doc: doc(), lookupEnv, envAllowed });
    expect(first.changes.filter((c) => c.section === "platforms").map((c) => c.action)).toEqual(["create", "create"]);
    const auditBefore = await db.auditEntry.count();
    const second = await applyConfig({ actor: tokenActor, doc: doc(), lookupEnv, envAllowed });
    expect(second.changes.filter((c) => c.section === "platforms").map((c) => c.action)).toEqual(["unchanged", "unchanged"]);
    expect(await db.auditEntry.count()).toBe(auditBefore);

    const created = await db.platform.findFirstOrThrow({ where: { name: n }, include: { keys: { orderBy: { position: "asc" } } } });
    const oldBackup = env.P_BACKUP;
    env.P_BACKUP = canary();
    const third = await applyConfig({ actor: tokenActor, doc: doc(), lookupEnv, envAllowed });
    expect(third.changes.find((c) => c.name === n)).toMatchObject({ action: "update", fields: ["keys[backup].value"] });
    expect(await withSecret({ credentialId: created.keys[1].credentialId, workspaceId: null }, (s) => s)).toBe(env.P_BACKUP);
    expect(await withSecret({ credentialId: created.keys[0].credentialId, workspaceId: null }, (s) => s)).toBe(env.P_PRIMARY);
    expect(await tablesContaining(oldBackup)).toEqual({});

    const out = await exportConfig({ actor: tokenActor });
    const text = JSON.stringify(out);
    for (const v of Object.values(env)) expect(text).not.toContain(v);
    const exported = (out as { platforms: { name: string; keys: { value: string }[] }[] }).platforms.find((p) => p.name === n)!;
    expect(exported.keys.map((k) => k.value)).toEqual([
      expect.stringMatching(/^\$\{env:SWITCHBOARD_SECRET_PLATFORM_OPENAI_US_WEST_\w+_PRIMARY\}$/),
      expect.stringMatching(/^\$\{env:SWITCHBOARD_SECRET_PLATFORM_OPENAI_US_WEST_\w+_BACKUP\}$/),
    ]);

    // The export applies back unchanged: its credentials entries and its platform keys name the same variables.
    const refs = exported.keys.map((k) => k.value.slice(6, -1));
    const roundEnv: Record<string, string> = { [refs[0]]: env.P_PRIMARY, [refs[1]]: env.P_BACKUP };
    const credentials = (out as { credentials: { value: string }[] }).credentials.filter((c) => refs.includes(c.value.slice(6, -1)));
    expect(credentials).toHaveLength(2);
    const round = await applyConfig({
      actor: tokenActor,
      doc: { credentials, platforms: [exported] },
      lookupEnv: (k) => roundEnv[k],
      envAllowed: envAllowList("SWITCHBOARD_SECRET_*"),
    });
    expect(round.summary).toEqual({ create: 0, update: 0, unchanged: 3 });
  });

  it("reports a private base URL on the platform's path and writes nothing", async () => {
    const n = name("Local");
    const err = await expectAppError(
      applyConfig({
        actor: tokenActor,
        doc: { platforms: [{ name: n, vendor: "openai-compatible", baseUrl: "http://10.0.0.5:8000/v1", keys: [{ value: canary() }] }] },
      }),
      "validation_failed",
    );
    expect(err.fields?.[0].path).toBe("platforms[0].baseUrl");
    expect(await db.platform.count({ where: { name: n } })).toBe(0);
  });

  it("a key removed from the file is removed; keys without description match by position", async () => {
    const n = name("Compat");
    const env: Record<string, string> = { A: canary(), B: canary() };
    const lookupEnv = (k: string) => env[k];
    const envAllowed = envAllowList("A,B");
    const mk = (keys: object[]) => ({ platforms: [{ name: n, vendor: "openai-compatible", baseUrl: "https://llm.example.com/v1", keys }] });
    await applyConfig({ actor: tokenActor, doc: mk([{ value: "${env:A}" }, { value: "${env:B}", weight: 5 }]), lookupEnv, envAllowed });
    const again = await applyConfig({
      actor: tokenActor,
      doc: mk([{ value: "${env:A}" }, { value: "${env:B}", weight: 5 }]),
      lookupEnv,
      envAllowed,
    });
    expect(again.changes.find((c) => c.name === n)?.action).toBe("unchanged");
    const r = await applyConfig({ actor: tokenActor, doc: mk([{ value: "${env:A}" }]), lookupEnv, envAllowed });
    expect(r.changes.find((c) => c.name === n)).toMatchObject({ action: "update", fields: ["keys[position 1] removed"] });
    const p = await db.platform.findFirstOrThrow({ where: { name: n }, include: { keys: true } });
    expect(p.keys).toHaveLength(1);
    expect(await tablesContaining(env.B)).toEqual({});
  });
});
