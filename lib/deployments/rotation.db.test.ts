import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, useTestDb } from "../testing/db";
import { createWorkspace, suffix, tokenActor } from "../testing/factories";
import { createDeploymentSchema } from "../schemas/deployments";
import { applyConfig } from "../config/apply-config";
import { handleGateway, type GwRequest } from "../gateway/handler";
import type { GwResponse } from "../gateway/pipeline";
import { refreshSnapshotNow } from "../gateway/snapshot";
import { bumpGatewayVersion } from "../gateway/version";
import { createDeployment, createDeploymentIn } from "./create-deployment";
import { addInstance, updateInstance } from "./instances";
import { healthProbesSettled } from "./health-check";
import { passiveChecksSettled } from "./passive-health";

useTestDb();

// A deployment serves from its first request: an instance its probes have not judged yet is in rotation, new and
// re-pointed instances are probed as soon as they are written, and a request that cannot connect to an unproven
// instance takes it out of rotation (passive health checks).

/** A fake engine: the model list for probes and a chat completion; `hits` counts requests by path. */
let engine: http.Server;
let engineUrl = "";
const hits: string[] = [];
beforeAll(async () => {
  // Open the database before the first transaction, whose 2 s wait would otherwise include opening it.
  await db.deployment.count();
  engine = http.createServer((req, res) => {
    hits.push(String(req.url));
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      if (req.url?.endsWith("/models")) return res.end(JSON.stringify({ object: "list", data: [{ id: "qwen", object: "model" }] }));
      const body = JSON.parse(raw || "{}");
      res.end(
        JSON.stringify({
          id: "c",
          object: "chat.completion",
          created: 1,
          model: body.model,
          choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
          usage: { prompt_tokens: 3, completion_tokens: 1 },
        }),
      );
    });
  });
  await new Promise<void>((r) => engine.listen(0, "127.0.0.1", r));
  engineUrl = `http://127.0.0.1:${(engine.address() as AddressInfo).port}/v1`;
});
afterAll(() => engine.close());

/** A loopback URL nothing listens on (connections are refused). */
async function deadUrl(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}/v1`;
}

// The default health check: every 30 s, healthy after 2 successes.
const deploymentInput = (url: string) => createDeploymentSchema.parse({ name: `dep-${suffix()}`, internal: true, instances: [{ url }] });

/** A model routed to the deployment, and a key that may use it. */
async function routeTo(deploymentName: string) {
  const s = suffix();
  const ws = await createWorkspace();
  await applyConfig({
    actor: tokenActor,
    doc: {
      models: [
        {
          name: `self-${s}`,
          pricing: { inputPerMillion: 1, outputPerMillion: 1 },
          contextWindow: 8000,
          maxOutputTokens: 100,
          routes: [{ deployment: deploymentName, priority: 1, upstreamModel: "qwen" }],
        },
      ],
    },
  });
  const key = `sk-sb-${crypto.randomBytes(16).toString("hex")}`;
  await db.virtualKey.create({
    data: { workspaceId: ws.id, name: `k-${s}`, prefix: key.slice(0, 10), keyHash: crypto.createHash("sha256").update(key).digest("hex") },
  });
  await bumpGatewayVersion(db);
  await refreshSnapshotNow();
  return { key, model: `self-${s}` };
}

async function chat(key: string, model: string) {
  const raw = Buffer.from(JSON.stringify({ model, messages: [{ role: "user", content: "hi" }], max_tokens: 5 }));
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  const req: GwRequest = {
    method: "POST",
    pathname: "/api/v1/chat/completions",
    requestId: `req_${suffix()}`,
    header: (n) => headers[n],
    readBody: async () => raw,
    signal: new AbortController().signal,
  };
  const out = { status: 0, text: "" };
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const res: GwResponse = {
    head: (s) => (out.status = s),
    write: (c) => void (out.text += c),
    end: (c) => ((out.text += c ?? ""), done()),
  };
  await handleGateway(req, res);
  await finished;
  return { status: out.status, json: () => JSON.parse(out.text) };
}

describe("new deployment instances", () => {
  it("a never-checked instance takes the first request, with the default health check", async () => {
    // Written the way the config file and the console write it, without the probe that follows the commit.
    const d = await db.$transaction((tx) => createDeploymentIn(tx, { actor: tokenActor, input: deploymentInput(engineUrl) }));
    const { key, model } = await routeTo(d.name);
    expect(await db.deploymentInstance.findFirstOrThrow({ where: { deploymentId: d.id } })).toMatchObject({
      state: "unknown",
      lastCheckAt: null,
    });
    const r = await chat(key, model);
    expect(r.status).toBe(200);
    expect(r.json().choices[0].message.content).toBe("hi");
  });

  it("creation, a new instance and a changed URL are probed at once, from the admin API, console and config file alike", async () => {
    const checks = (deploymentId: string) => db.healthCheck.count({ where: { instance: { deploymentId } } });
    const d = await createDeployment({ actor: tokenActor, input: deploymentInput(engineUrl) });
    await healthProbesSettled();
    expect(await checks(d.id)).toBe(1);
    expect(await db.deploymentInstance.findFirstOrThrow({ where: { deploymentId: d.id } })).toMatchObject({
      state: "unknown",
      consecutiveSuccesses: 1,
    });

    const added = await addInstance({
      actor: tokenActor,
      deploymentId: d.id,
      input: { url: `${engineUrl.replace("/v1", "")}/b/v1`, replicas: 1, gpu: "", weight: 1, enabled: true },
    });
    await healthProbesSettled();
    expect(await db.healthCheck.count({ where: { instanceId: added.id } })).toBe(1);

    await updateInstance({
      actor: tokenActor,
      deploymentId: d.id,
      instanceId: added.id,
      input: { url: `${engineUrl.replace("/v1", "")}/c/v1` },
    });
    await healthProbesSettled();
    expect(await db.healthCheck.count({ where: { instanceId: added.id } })).toBe(2);
    expect(hits.filter((h) => h === "/c/v1/models")).toHaveLength(1);
    expect(await checks(d.id)).toBe(3); // the first instance was not probed again before its interval

    const name = `cfg-${suffix()}`;
    await applyConfig({
      actor: tokenActor,
      doc: { deployments: [{ name, internal: true, instances: [{ url: `${engineUrl.replace("/v1", "")}/cfg/v1` }] }] },
    });
    await healthProbesSettled();
    const fromFile = await db.deployment.findUniqueOrThrow({ where: { name } });
    expect(await checks(fromFile.id)).toBe(1);
  });

  it("a refused connection takes an unproven instance out of rotation everywhere; a proven one is left to the breaker", async () => {
    const url = await deadUrl();
    const d = await db.$transaction((tx) => createDeploymentIn(tx, { actor: tokenActor, input: deploymentInput(url) }));
    const { key, model } = await routeTo(d.name);
    const first = await chat(key, model);
    expect(first.status).toBe(502);
    await passiveChecksSettled();
    const inst = await db.deploymentInstance.findFirstOrThrow({ where: { deploymentId: d.id } });
    expect(inst).toMatchObject({ state: "unknown", consecutiveFailures: 1 });
    expect(inst.lastError).toMatch(/^During a request: connection failed/);
    expect(await db.healthCheck.findMany({ where: { instanceId: inst.id }, select: { ok: true, error: true } })).toEqual([
      { ok: false, error: inst.lastError },
    ]);
    // Another app instance's snapshot (rebuilt on the version bump) leaves it out: no upstream to try.
    const snap = await refreshSnapshotNow();
    expect(snap.deployments.get(d.id)?.instances[0]).toMatchObject({ inRotation: false });
    const second = await chat(key, model);
    expect(second.status).toBe(503);
    expect(second.json().error.code).toBe("no_upstream_available");

    // A proven instance that refuses a connection keeps its recorded health (its probes decide).
    const proven = await db.$transaction((tx) => createDeploymentIn(tx, { actor: tokenActor, input: deploymentInput(url) }));
    await db.deploymentInstance.updateMany({ where: { deploymentId: proven.id }, data: { state: "healthy", consecutiveSuccesses: 2 } });
    const p = await routeTo(proven.name);
    expect((await chat(p.key, p.model)).status).toBe(502);
    await passiveChecksSettled();
    expect(await db.deploymentInstance.findFirstOrThrow({ where: { deploymentId: proven.id } })).toMatchObject({
      state: "healthy",
      consecutiveFailures: 0,
    });
  });
});
