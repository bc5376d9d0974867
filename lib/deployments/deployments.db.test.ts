import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, useTestDb } from "../testing/db";
import { expectAppError } from "../testing/errors";
import { suffix, tokenActor, userInWorkspace } from "../testing/factories";
import { createDeploymentSchema, type CreateDeploymentInput } from "../schemas/deployments";
import { applyConfig } from "../config/apply-config";
import { exportConfig } from "../config/export-config";
import { createDeployment } from "./create-deployment";
import { updateDeployment } from "./update-deployment";
import { deleteDeployment } from "./delete-deployment";
import { getDeployment, listDeployments } from "./list-deployments";
import { addInstance, removeInstance, updateInstance } from "./instances";
import { checkDeploymentNow, healthProbesSettled, instancesInRotation, pruneHealthHistory, runDueChecks } from "./health-check";
import { healthHistory } from "./health-history";

useTestDb();

const input = (over: Record<string, unknown> = {}): CreateDeploymentInput =>
  createDeploymentSchema.parse({
    name: `dep-${suffix()}`,
    internal: true,
    instances: [{ url: `http://10.0.0.5:8000/v1`, replicas: 4, gpu: "4xA100" }],
    ...over,
  });
const q = { limit: 50 };

/** A fake vLLM: GET /v1/models answers the OpenAI model list; `down` makes it answer 503. */
async function fakeVllm() {
  const state = { down: false, hits: 0 };
  const server = http.createServer((req, res) => {
    state.hits++;
    if (state.down) return res.writeHead(503).end();
    if (req.url === "/v1/models") {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ object: "list", data: [{ id: "qwen2.5-7b", object: "model", owned_by: "vllm" }] }));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return { state, server, url: `http://127.0.0.1:${port}/v1`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

// Open the database before the first transaction, whose 2 s wait would otherwise include opening it (under load).
beforeAll(() => db.deployment.count());

const servers: { close: () => Promise<void> }[] = [];
afterAll(async () => {
  for (const s of servers) await s.close().catch(() => {});
});

describe("deployments", () => {
  it("creates a deployment with instances and an audit entry, and reads it back", async () => {
    const dto = await createDeployment({ actor: tokenActor, input: input({ engine: "sglang", model: "deepseek-ai/DeepSeek-V3" }) });
    expect(dto).toMatchObject({ engine: "sglang", model: "deepseek-ai/DeepSeek-V3", health: { unknown: 1, total: 1 }, usedBy: [] });
    expect(dto.instances[0]).toMatchObject({ url: "http://10.0.0.5:8000/v1", replicas: 4, gpu: "4xA100", state: "unknown" });
    const audit = await db.auditEntry.findMany({ where: { targetId: dto.id } });
    expect(audit.map((a) => a.action)).toEqual(["deployment.create"]);
    expect(audit[0].changes).toMatchObject({ engine: { from: null, to: "sglang" }, instances: { to: ["http://10.0.0.5:8000/v1"] } });
    expect((await getDeployment({ actor: tokenActor, deploymentId: dto.id })).instances).toHaveLength(1);
  });

  it("refuses a private instance URL unless the deployment is internal, as a field error", async () => {
    const err = await expectAppError(
      createDeployment({
        actor: tokenActor,
        input: input({ internal: false, instances: [{ url: "https://example.com/v1" }, { url: "http://10.0.0.7:8000/v1" }] }),
      }),
      "validation_failed",
    );
    expect(err.fields?.map((f) => f.path)).toEqual(["instances[1].url"]);
    expect(err.fields?.[0].message).toMatch(/internal/);
    const pub = await createDeployment({
      actor: tokenActor,
      input: input({ internal: false, instances: [{ url: "https://example.com/v1" }] }),
    });
    const addErr = await expectAppError(
      addInstance({
        actor: tokenActor,
        deploymentId: pub.id,
        input: { url: "http://127.0.0.1:8000/v1", replicas: 1, gpu: "", weight: 1, enabled: true },
      }),
      "validation_failed",
    );
    expect(addErr.fields?.[0].path).toBe("url");
    // Taking `internal` away is refused while an instance needs it.
    const priv = await createDeployment({ actor: tokenActor, input: input() });
    const intErr = await expectAppError(
      updateDeployment({ actor: tokenActor, deploymentId: priv.id, input: { internal: false } }),
      "validation_failed",
    );
    expect(intErr.fields?.[0]).toMatchObject({ path: "internal" });
  });

  it("refuses a duplicate name (any case) and a duplicate instance URL", async () => {
    const a = await createDeployment({ actor: tokenActor, input: input() });
    const err = await expectAppError(createDeployment({ actor: tokenActor, input: input({ name: a.name.toUpperCase() }) }), "conflict");
    expect(err.fields?.[0].path).toBe("name");
    const dup = await expectAppError(
      addInstance({
        actor: tokenActor,
        deploymentId: a.id,
        input: { url: "http://10.0.0.5:8000/v1", replicas: 1, gpu: "", weight: 1, enabled: true },
      }),
      "conflict",
    );
    expect(dup.fields?.[0].path).toBe("url");
  });

  it("adds, changes and removes instances with audit entries; a re-pointed instance starts over as unknown", async () => {
    const d = await createDeployment({ actor: tokenActor, input: input() });
    const inst = await addInstance({
      actor: tokenActor,
      deploymentId: d.id,
      input: { url: "http://10.0.0.6:8000/v1", replicas: 2, gpu: "2xH100", weight: 3, enabled: true },
    });
    await db.deploymentInstance.update({ where: { id: inst.id }, data: { state: "healthy", consecutiveSuccesses: 9 } });
    const moved = await updateInstance({
      actor: tokenActor,
      deploymentId: d.id,
      instanceId: inst.id,
      input: { url: "http://10.0.0.9:8000/v1", weight: 5 },
    });
    expect(moved).toMatchObject({ url: "http://10.0.0.9:8000/v1", weight: 5, state: "unknown", consecutiveSuccesses: 0 });
    await removeInstance({ actor: tokenActor, deploymentId: d.id, instanceId: inst.id });
    // An instance id from another deployment is not found through this one.
    const other = await createDeployment({ actor: tokenActor, input: input() });
    await expectAppError(removeInstance({ actor: tokenActor, deploymentId: d.id, instanceId: other.instances[0].id }), "not_found");
    const actions = (await db.auditEntry.findMany({ where: { targetId: d.id }, orderBy: { at: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["deployment.create", "deployment.instance.add", "deployment.instance.update", "deployment.instance.remove"]);
  });

  it("updates settings with a field diff and writes nothing when nothing changes", async () => {
    const d = await createDeployment({ actor: tokenActor, input: input() });
    const after = await updateDeployment({
      actor: tokenActor,
      deploymentId: d.id,
      input: { strategy: "least-inflight", healthCheck: { intervalSeconds: 5 } },
    });
    expect(after).toMatchObject({ strategy: "least-inflight", healthCheck: { intervalSeconds: 5, unhealthyAfter: 3 } });
    await updateDeployment({ actor: tokenActor, deploymentId: d.id, input: { strategy: "least-inflight" } });
    const entries = await db.auditEntry.findMany({ where: { targetId: d.id, action: "deployment.update" } });
    expect(entries).toHaveLength(1);
    expect(entries[0].changes).toEqual({
      strategy: { from: "round-robin", to: "least-inflight" },
      "healthCheck.intervalSeconds": { from: 30, to: 5 },
    });
  });

  it("refuses to delete a deployment a model routes to, naming the model", async () => {
    const d = await createDeployment({ actor: tokenActor, input: input() });
    const model = await db.model.create({ data: { name: `model-${suffix()}`, features: [], modalities: [] } });
    const route = await db.modelRoute.create({ data: { modelId: model.id, deploymentId: d.id, upstreamModel: "deepseek-v3" } });
    expect((await getDeployment({ actor: tokenActor, deploymentId: d.id })).usedBy).toEqual([{ modelId: model.id, modelName: model.name }]);
    const err = await expectAppError(deleteDeployment({ actor: tokenActor, deploymentId: d.id }), "conflict");
    expect(err.message).toContain(model.name);
    expect(await db.deployment.count({ where: { id: d.id } })).toBe(1);
    await db.modelRoute.delete({ where: { id: route.id } });
    await deleteDeployment({ actor: tokenActor, deploymentId: d.id });
    expect(await db.deploymentInstance.count({ where: { deploymentId: d.id } })).toBe(0);
    expect((await db.auditEntry.findMany({ where: { targetId: d.id } })).map((a) => a.action)).toContain("deployment.delete");
  });

  it("lists with search, engine filter and cursor paging", async () => {
    const tag = suffix();
    for (let i = 0; i < 3; i++)
      await createDeployment({ actor: tokenActor, input: input({ name: `list-${tag}-${i}`, engine: i === 2 ? "tgi" : "vllm" }) });
    const page1 = await listDeployments({ actor: tokenActor, query: { limit: 2, q: tag } });
    expect(page1.data.map((d) => d.name)).toEqual([`list-${tag}-0`, `list-${tag}-1`]);
    const page2 = await listDeployments({ actor: tokenActor, query: { limit: 2, q: tag, cursor: page1.nextCursor! } });
    expect(page2).toMatchObject({ data: [{ name: `list-${tag}-2` }], nextCursor: null });
    expect((await listDeployments({ actor: tokenActor, query: { ...q, q: tag, engine: "tgi" } })).data.map((d) => d.name)).toEqual([
      `list-${tag}-2`,
    ]);
  });

  it("instance admins change deployments; workspace Admins only read them; Builders not at all", async () => {
    const { actor: admin } = await userInWorkspace("ADMIN");
    const { actor: builder } = await userInWorkspace("BUILDER");
    await expectAppError(createDeployment({ actor: admin, input: input() }), "forbidden");
    const d = await createDeployment({ actor: tokenActor, input: input() });
    expect((await getDeployment({ actor: admin, deploymentId: d.id })).id).toBe(d.id);
    await expectAppError(deleteDeployment({ actor: admin, deploymentId: d.id }), "forbidden");
    await expectAppError(checkDeploymentNow({ actor: admin, deploymentId: d.id }), "forbidden");
    await expectAppError(listDeployments({ actor: builder, query: q }), "forbidden");
  });
});

describe("health checks", () => {
  it("an instance turns healthy, unhealthy when its server stops, and healthy again; unhealthy ones leave rotation", async () => {
    const vllm = await fakeVllm();
    servers.push(vllm);
    const d = await createDeployment({
      actor: tokenActor,
      input: input({
        instances: [{ url: vllm.url }],
        healthCheck: { intervalSeconds: 1, timeoutMs: 2000, unhealthyAfter: 2, healthyAfter: 1 },
      }),
    });
    const inst = () => getDeployment({ actor: tokenActor, deploymentId: d.id }).then((x) => x.instances[0]);
    let clock = Date.now();
    const now = () => new Date(clock);
    const tick = async () => {
      clock += 1_000 + 2_000 + 1; // past the claim window of the previous round
      return runDueChecks({ now, deploymentId: d.id });
    };

    // Never checked is in rotation; creating the deployment probed it at once (lib/deployments/rotation.db.test.ts).
    expect((await instancesInRotation(d.id)).map((i) => i.url)).toEqual([vllm.url]);
    await healthProbesSettled();
    expect(await inst()).toMatchObject({ state: "healthy", consecutiveSuccesses: 1, lastError: null });
    expect((await inst()).lastLatencyMs).toBeGreaterThanOrEqual(0);
    expect((await instancesInRotation(d.id)).map((i) => i.url)).toEqual([vllm.url]);
    // Not due again within the interval.
    expect(await runDueChecks({ now, deploymentId: d.id })).toBe(0);

    await vllm.close();
    await tick();
    expect(await inst()).toMatchObject({ state: "healthy", consecutiveFailures: 1, lastError: "Connection refused" });
    await tick();
    const down = await inst();
    expect(down).toMatchObject({ state: "unhealthy", consecutiveFailures: 2 });
    expect(down.stateChangedAt).not.toBeNull();
    expect(await instancesInRotation(d.id)).toEqual([]);

    // Back on the same port.
    const port = Number(new URL(vllm.url).port);
    await new Promise<void>((r) => vllm.server.listen(port, "127.0.0.1", r));
    await tick();
    expect(await inst()).toMatchObject({ state: "healthy", consecutiveFailures: 0 });

    vllm.state.down = true;
    await tick();
    expect(await inst()).toMatchObject({ lastError: "HTTP 503" });

    const history = await healthHistory({ actor: tokenActor, deploymentId: d.id, query: { minutes: 60 }, now: new Date(clock + 1) });
    const h = history.instances[0];
    expect(h.points.map((p) => p.ok)).toEqual([true, false, false, true, false]);
    expect(h.uptime).toBeCloseTo(2 / 5);
    expect(h.points[4].httpStatus).toBe(503);
    await vllm.close();
  });

  it("a disabled instance is not probed; 'check now' probes at once; old history is pruned", async () => {
    const vllm = await fakeVllm();
    servers.push(vllm);
    const d = await createDeployment({
      actor: tokenActor,
      input: input({
        instances: [{ url: vllm.url }, { url: `${vllm.url.replace("/v1", "")}/other/v1`, enabled: false }],
        healthCheck: { healthyAfter: 2 },
      }),
    });
    await healthProbesSettled(); // the enabled one was probed on creation
    expect(vllm.state.hits).toBe(1);
    const after = await checkDeploymentNow({ actor: tokenActor, deploymentId: d.id });
    expect(after.instances.map((i) => [i.state, i.consecutiveSuccesses, i.lastCheckAt !== null])).toEqual([
      ["healthy", 2, true],
      ["unknown", 0, false],
    ]);
    expect(vllm.state.hits).toBe(2);
    const old = await db.healthCheck.create({
      data: { instanceId: after.instances[0].id, ok: true, at: new Date(Date.now() - 25 * 3600_000) },
    });
    expect(await pruneHealthHistory()).toBeGreaterThanOrEqual(1);
    expect(await db.healthCheck.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await db.healthCheck.count({ where: { instanceId: after.instances[0].id } })).toBe(2);
  });

  it("a public deployment may not probe a loopback address even if the row says so", async () => {
    const vllm = await fakeVllm();
    servers.push(vllm);
    const d = await createDeployment({
      actor: tokenActor,
      input: input({ instances: [{ url: vllm.url }], healthCheck: { unhealthyAfter: 1 } }),
    });
    await healthProbesSettled(); // probed on creation, while internal
    const hits = vllm.state.hits;
    await db.deployment.update({ where: { id: d.id }, data: { internal: false } });
    const after = await checkDeploymentNow({ actor: tokenActor, deploymentId: d.id });
    expect(after.instances[0]).toMatchObject({ state: "unhealthy" });
    expect(after.instances[0].lastError).toMatch(/^Blocked/);
    expect(vllm.state.hits).toBe(hits);
  });
});

describe("deployments config section", () => {
  it("applies idempotently, matches instances by URL, exports without surprises, and refuses bad URLs all-or-nothing", async () => {
    const name = `cfg-${suffix()}`;
    const doc = {
      deployments: [
        {
          name,
          internal: true,
          strategy: "round-robin",
          healthCheck: { intervalSeconds: 30 },
          instances: [
            { url: "http://10.0.0.5:8000/v1", replicas: 4, gpu: "4xA100" },
            { url: "http://10.0.0.6:8000/v1", replicas: 4, gpu: "4xA100" },
          ],
        },
      ],
    };
    const first = await applyConfig({ actor: tokenActor, doc });
    expect(first.changes).toEqual([{ section: "deployments", name, action: "create" }]);
    const row = await db.deployment.findUniqueOrThrow({ where: { name }, include: { instances: true } });
    expect(row.source).toBe("config");
    const auditBefore = await db.auditEntry.count();
    const second = await applyConfig({ actor: tokenActor, doc });
    expect(second.changes).toEqual([{ section: "deployments", name, action: "unchanged" }]);
    expect(await db.auditEntry.count()).toBe(auditBefore);

    // A health state survives a re-apply that changes the instance.
    const kept = row.instances.find((i) => i.url.endsWith(".5:8000/v1"))!;
    await db.deploymentInstance.update({ where: { id: kept.id }, data: { state: "healthy" } });
    const changed = structuredClone(doc);
    changed.deployments[0].instances = [
      { url: "http://10.0.0.5:8000/v1", replicas: 8, gpu: "8xH100" },
      { url: "http://10.0.0.7:8000/v1", replicas: 1, gpu: "" },
    ];
    const third = await applyConfig({ actor: tokenActor, doc: changed });
    expect(third.changes).toEqual([{ section: "deployments", name, action: "update", fields: ["instances"] }]);
    const afterRows = await db.deploymentInstance.findMany({ where: { deploymentId: row.id }, orderBy: { url: "asc" } });
    expect(afterRows.map((i) => [i.url, i.replicas])).toEqual([
      ["http://10.0.0.5:8000/v1", 8],
      ["http://10.0.0.7:8000/v1", 1],
    ]);
    expect(afterRows[0]).toMatchObject({ id: kept.id, state: "healthy" });
    expect((await applyConfig({ actor: tokenActor, doc: changed })).summary).toMatchObject({ unchanged: 1, update: 0, create: 0 });

    const exported = (await exportConfig({ actor: tokenActor })) as { deployments?: { name: string }[] };
    const mine = exported.deployments?.find((d) => d.name === name);
    expect(mine).toEqual({
      name,
      internal: true,
      strategy: "round-robin",
      healthCheck: { intervalSeconds: 30, path: "/models", timeoutMs: 5000, unhealthyAfter: 3, healthyAfter: 2 },
      engine: "vllm",
      instances: [
        { url: "http://10.0.0.5:8000/v1", replicas: 8, gpu: "8xH100", weight: 1 },
        { url: "http://10.0.0.7:8000/v1", replicas: 1, gpu: "", weight: 1 },
      ],
    });
    // The export applies back as unchanged.
    expect((await applyConfig({ actor: tokenActor, doc: { deployments: [mine] } })).changes[0].action).toBe("unchanged");

    const bad = {
      deployments: [
        {
          name: `bad-${suffix()}`,
          internal: false,
          strategy: "weighted",
          healthCheck: { intervalSeconds: 10 },
          instances: [
            { url: "https://example.com/v1", replicas: 1, gpu: "" },
            { url: "http://192.168.1.4:8000/v1", replicas: 1, gpu: "" },
          ],
        },
      ],
    };
    const err = await expectAppError(applyConfig({ actor: tokenActor, doc: bad }), "validation_failed");
    expect(err.fields?.map((f) => f.path)).toEqual(["deployments[0].instances[1].url"]);
    expect(await db.deployment.count({ where: { name: bad.deployments[0].name } })).toBe(0);
  });
});
