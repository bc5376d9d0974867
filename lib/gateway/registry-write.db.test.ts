import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db, useTestDb } from "../testing/db";
import { installRegistryGuard, removeRegistryGuard, unbumpedWrites } from "../testing/registry-guard";
import { suffix, tokenActor, userInWorkspace } from "../testing/factories";
import { generateMasterKey } from "../crypto/keyring";
import { keyRing, replaceKeyRing } from "../crypto";
import { applyConfig } from "../config/apply-config";
import { createPlatform } from "../platforms/create-platform";
import { updatePlatform } from "../platforms/update-platform";
import { deletePlatform } from "../platforms/delete-platform";
import { addPlatformKey } from "../platforms/add-platform-key";
import { updatePlatformKey } from "../platforms/update-platform-key";
import { removePlatformKey } from "../platforms/remove-platform-key";
import { createModel } from "../models/create-model";
import { updateModel } from "../models/update-model";
import { deleteModel } from "../models/delete-model";
import { addPrice } from "../models/add-price";
import { setRoutes } from "../models/set-routes";
import { createDeployment } from "../deployments/create-deployment";
import { updateDeployment } from "../deployments/update-deployment";
import { deleteDeployment } from "../deployments/delete-deployment";
import { addInstance, removeInstance, updateInstance } from "../deployments/instances";
import { checkDeploymentNow, healthProbesSettled, runDueChecks } from "../deployments/health-check";
import { createDeploymentSchema } from "../schemas/deployments";
import { createVirtualKey } from "../virtual-keys/create-key";
import { updateVirtualKey } from "../virtual-keys/update-key";
import { revokeVirtualKey } from "../virtual-keys/revoke-key";
import { updateWorkspaceBudget } from "../budgets/update-budget";
import { updateLoggingSettings } from "../workspaces/logging-settings";
import { updateWorkspace } from "../workspaces/update-workspace";
import { createCredential } from "../credentials/create-credential";
import { updateCredential } from "../credentials/update-credential";
import { rotateBatch } from "../credentials/rotate-keys";
import { registryWrite } from "./registry-write";
import { readGatewayVersion } from "./version";

// Every registry writer, run with the database guard on (lib/testing/registry-guard.ts): no write may change
// what the routing snapshot reads without moving GatewayVersion in its transaction, and each writer here must
// move it. Writes the snapshot does not read (check results, lastUsedAt, descriptions) must not need to.

useTestDb();
beforeAll(() => installRegistryGuard(db));
afterEach(async () => expect(await unbumpedWrites(db), "registry writes committed without a bump").toEqual([]));
afterAll(() => removeRegistryGuard(db));

const version = () => readGatewayVersion(db);
async function moves<T>(run: () => Promise<T>): Promise<T> {
  const before = await version();
  const result = await run();
  expect(await version()).toBeGreaterThan(before);
  expect(await unbumpedWrites(db)).toEqual([]);
  return result;
}
async function stays<T>(run: () => Promise<T>): Promise<T> {
  const before = await version();
  const result = await run();
  expect(await version()).toBe(before);
  expect(await unbumpedWrites(db)).toEqual([]);
  return result;
}
const platformInput = (keys: string[]) => ({
  name: `Guarded ${suffix()}`,
  vendor: "openai" as const,
  baseUrl: "https://api.openai.com/v1",
  notes: "",
  keys: keys.map((description) => ({ value: `sk-${crypto.randomBytes(12).toString("hex")}`, description, weight: 1, enabled: true })),
});

describe("the registry guard", () => {
  it("catches a registry write without a bump, and lets registryWrite and routing-neutral writes through", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    const { key } = await moves(() =>
      createVirtualKey({ actor, workspaceId: ws.id, input: { name: "guarded", owner: "", allowedModels: [] } }),
    );
    await db.virtualKey.update({ where: { id: key.id }, data: { rpm: 5 } });
    await db.$transaction((tx) => tx.workspace.update({ where: { id: ws.id }, data: { storeBodies: true } }));
    await db.$transaction((tx) => tx.modelRoute.deleteMany({ where: { id: "none" } }));
    expect(await unbumpedWrites(db)).toEqual(["VirtualKey UPDATE", "Workspace UPDATE"]);
    await stays(() => db.virtualKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } }));
    // Several registry writes in one transaction move the version once.
    const before = await version();
    await registryWrite(db, async (tx) => {
      await registryWrite(tx, async (tx) => ({
        result: await tx.virtualKey.update({ where: { id: key.id }, data: { rpm: 6 } }),
        audit: null,
        snapshot: true,
      }));
      await registryWrite(tx, async (tx) => ({
        result: await tx.virtualKey.update({ where: { id: key.id }, data: { tpm: 50 } }),
        audit: null,
        snapshot: true,
      }));
      return { result: null, audit: null, snapshot: true };
    });
    expect(await version()).toBe(before + 1);
  });

  it("passes every platform and key writer, each moving the version", async () => {
    const p = await moves(() => createPlatform({ actor: tokenActor, input: platformInput(["primary", "backup"]) }));
    await moves(() => updatePlatform({ actor: tokenActor, platformId: p.id, input: { name: `${p.name} renamed` } }));
    await stays(() => updatePlatform({ actor: tokenActor, platformId: p.id, input: { notes: "" } }));
    const extra = await moves(() =>
      addPlatformKey({
        actor: tokenActor,
        platformId: p.id,
        input: { value: "sk-extra-0123456789", description: "extra", weight: 2, enabled: true },
      }),
    );
    await moves(() => updatePlatformKey({ actor: tokenActor, platformId: p.id, keyId: extra.id, input: { weight: 3 } }));
    await moves(() =>
      updatePlatformKey({ actor: tokenActor, platformId: p.id, keyId: extra.id, input: { value: "sk-replaced-0123456789" } }),
    );
    await moves(() => removePlatformKey({ actor: tokenActor, platformId: p.id, keyId: extra.id }));
    await moves(() => deletePlatform({ actor: tokenActor, platformId: p.id }));
  });

  it("passes every model, price and route writer, and the keys that follow a renamed model", async () => {
    const p = await createPlatform({ actor: tokenActor, input: platformInput(["only"]) });
    const m = await moves(() =>
      createModel({
        actor: tokenActor,
        input: {
          name: `m-${suffix()}`,
          contextWindow: 1000,
          maxOutputTokens: 100,
          pricing: { inputPerMillion: "1", outputPerMillion: "2" },
          routes: [{ platformId: p.id, upstreamModel: "gpt-x", priority: 1, weight: 1, enabled: true }],
        } as never,
      }),
    );
    const { ws, actor } = await userInWorkspace("ADMIN");
    const { key } = await createVirtualKey({ actor, workspaceId: ws.id, input: { name: "follows", owner: "", allowedModels: [m.name] } });
    await moves(() => updateModel({ actor: tokenActor, modelId: m.id, input: { name: `${m.name}-renamed`, status: "inactive" } }));
    expect((await db.virtualKey.findUniqueOrThrow({ where: { id: key.id } })).allowedModels).toEqual([`${m.name}-renamed`]);
    await moves(() =>
      addPrice({
        actor: tokenActor,
        modelId: m.id,
        input: { inputPerMillion: "3", outputPerMillion: "4", effectiveFrom: new Date(Date.now() + 86_400_000) } as never,
      }),
    );
    await moves(() =>
      setRoutes({
        actor: tokenActor,
        modelId: m.id,
        input: { routes: [{ platformId: p.id, upstreamModel: "gpt-y", priority: 1, weight: 2, enabled: true }] } as never,
      }),
    );
    await revokeVirtualKey({ actor, keyId: key.id });
    await moves(() => deleteModel({ actor: tokenActor, modelId: m.id, force: true }));
  });

  it("passes every deployment and instance writer, and the health checker bumps only on a change of state", async () => {
    let up = true;
    const server = http.createServer((req, res) =>
      res.writeHead(up && req.url === "/v1/models" ? 200 : 503, { "content-type": "application/json" }).end("{}"),
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const state = async (id: string) => (await db.deploymentInstance.findFirstOrThrow({ where: { deploymentId: id } })).state;
    try {
      const input = createDeploymentSchema.parse({
        name: `dep-${suffix()}`,
        internal: true,
        healthCheck: { healthyAfter: 1, unhealthyAfter: 1 },
        instances: [{ url }],
      });
      const d = await moves(() => createDeployment({ actor: tokenActor, input }));
      // A new instance is probed as soon as its write commits; that probe proves it healthy.
      await healthProbesSettled();
      expect(await state(d.id)).toBe("healthy");
      await moves(() =>
        updateDeployment({ actor: tokenActor, deploymentId: d.id, input: { strategy: "weighted", healthCheck: { intervalSeconds: 60 } } }),
      );
      await healthProbesSettled();
      await stays(() => updateDeployment({ actor: tokenActor, deploymentId: d.id, input: { notes: "" } }));
      await stays(() => checkDeploymentNow({ actor: tokenActor, deploymentId: d.id }));
      up = false;
      await moves(() => checkDeploymentNow({ actor: tokenActor, deploymentId: d.id }));
      expect(await state(d.id)).toBe("unhealthy");
      up = true;
      await moves(() => checkDeploymentNow({ actor: tokenActor, deploymentId: d.id }));
      await db.deploymentInstance.updateMany({ where: { deploymentId: d.id }, data: { nextCheckAt: new Date(0) } });
      await stays(() => runDueChecks({ deploymentId: d.id }));
      const extra = await moves(() =>
        addInstance({
          actor: tokenActor,
          deploymentId: d.id,
          input: { url: "http://10.0.0.9:8000/v1", replicas: 1, gpu: "", weight: 1, enabled: true },
        }),
      );
      await moves(() => updateInstance({ actor: tokenActor, deploymentId: d.id, instanceId: extra.id, input: { weight: 5 } }));
      await moves(() => removeInstance({ actor: tokenActor, deploymentId: d.id, instanceId: extra.id }));
      await moves(() => deleteDeployment({ actor: tokenActor, deploymentId: d.id }));
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it("passes the workspace key, budget, logging and credential writers", async () => {
    const { ws, actor } = await userInWorkspace("ADMIN");
    const { key } = await moves(() => createVirtualKey({ actor, workspaceId: ws.id, input: { name: "k", owner: "", allowedModels: [] } }));
    await moves(() => updateVirtualKey({ actor, keyId: key.id, input: { rpm: 10 } }));
    await moves(() => revokeVirtualKey({ actor, keyId: key.id }));
    await moves(() => updateWorkspaceBudget({ actor, workspaceId: ws.id, input: { monthlyBudgetUsd: "50", action: "block" } }));
    await moves(() => updateLoggingSettings({ actor, workspaceId: ws.id, input: { storeBodies: true, bodyRetentionDays: 7 } }));
    await stays(() => updateLoggingSettings({ actor, workspaceId: ws.id, input: { storeBodies: true, bodyRetentionDays: 3 } }));
    await stays(() => updateWorkspace({ actor: tokenActor, workspaceId: ws.id, input: { description: "neutral" } }));
    const instance = await createCredential({
      actor: tokenActor,
      workspaceId: null,
      input: { name: `cred-${suffix()}`, kind: "api-key", value: "sk-one-0123456789", description: "" },
    });
    await moves(() =>
      updateCredential({ actor: tokenActor, workspaceId: null, credentialId: instance.id, input: { value: "sk-two-0123456789" } }),
    );
    const own = await createCredential({
      actor,
      workspaceId: ws.id,
      input: { name: `cred-${suffix()}`, kind: "api-key", value: "sk-ws-0123456789", description: "" },
    });
    await stays(() => updateCredential({ actor, workspaceId: ws.id, credentialId: own.id, input: { value: "sk-ws-9876543210" } }));
    // Re-sealing under a new key changes the ciphertext the snapshot holds (the old key stays to read the rest).
    replaceKeyRing({ source: "env", keys: [generateMasterKey(`rotated-${suffix()}`), ...keyRing().keys] });
    await moves(async () => {
      for (let afterId: string | undefined; ;) {
        const r = await rotateBatch({ batchSize: 50, afterId });
        if (!r.lastId) break;
        afterId = r.lastId;
      }
    });
  });

  it("passes a configuration file, which moves the version once", async () => {
    const s = suffix();
    const doc = {
      platforms: [
        {
          name: `Cfg ${s}`,
          vendor: "openai",
          baseUrl: "https://api.openai.com/v1",
          keys: [{ value: "sk-cfg-0123456789", description: "k" }],
        },
      ],
      deployments: [{ name: `cfg-dep-${s}`, internal: true, instances: [{ url: "http://10.0.0.7:8000/v1" }] }],
      models: [
        {
          name: `cfg-m-${s}`,
          contextWindow: 1000,
          maxOutputTokens: 100,
          pricing: { inputPerMillion: 1, outputPerMillion: 2 },
          routes: [
            { platform: `Cfg ${s}`, priority: 1 },
            { deployment: `cfg-dep-${s}`, priority: 2 },
          ],
        },
      ],
      workspaces: [
        {
          name: `Cfg WS ${s}`,
          keys: [{ name: "bot", value: `sbk_${crypto.randomBytes(32).toString("base64url")}`, models: [`cfg-m-${s}`] }],
        },
      ],
    };
    const before = await version();
    const applied = await applyConfig({ actor: { type: "config", source: "test.yaml" }, doc });
    expect(applied.summary.create).toBe(5);
    expect(await version()).toBe(before + 1);
  });
});
