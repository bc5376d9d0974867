import http from "node:http";
import type { AddressInfo } from "node:net";
import Ajv2020 from "ajv/dist/2020";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, useTestDb } from "../testing/db";
import { createWorkspace, tokenActor } from "../testing/factories";
import { createVirtualKey } from "../virtual-keys/create-key";
import { createAgent } from "../agents/create-agent";
import { createNode } from "../agents/nodes";
import { assignConnector } from "../agents/assignments";
import { createConnectorRow, importTinyProvider } from "../agents/test-fixtures";
import { importProviderVersion } from "../providers/import-provider";
import { TOOL_NAME_PATTERN } from "../agents/tool-names";
import * as v1Route from "../../app/api/v1/[...path]/route";
import { matchLeanRoute } from "./router";

// GET /api/v1/tools through the real lean handler on a node:http server, as the custom server dispatches it.
useTestDb();

let server: http.Server;
let base = "";
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://x").pathname;
    const handler = matchLeanRoute(req.method ?? "GET", pathname);
    if (!handler) return res.writeHead(404).end();
    void handler(req, res, { requestId: "req_tools_test", pathname });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const ajv = new Ajv2020({ strict: false, validateSchema: true, logger: false });

interface ToolAnswer {
  tools: { type: string; function: { name: string; description: string; parameters: Record<string, unknown> } }[];
  data: { name: string; connectorId: string; operationId: string; callPath: string }[];
  target: { type: string; id: string; name: string };
  error?: { code: string; message: string };
}

async function setup() {
  const ws = await createWorkspace();
  const { value: key } = await createVirtualKey({
    actor: tokenActor,
    workspaceId: ws.id,
    input: { name: "bot", owner: "", allowedModels: [] },
  });
  const provider = await importTinyProvider(tokenActor, ws.id);
  const prod = await createConnectorRow({ workspaceId: ws.id, providerId: provider.id, name: "billing prod" });
  const test = await createConnectorRow({ workspaceId: ws.id, providerId: provider.id, name: "billing test" });
  const unassigned = await createConnectorRow({ workspaceId: ws.id, providerId: provider.id, name: "unused" });
  const worker = await createAgent({ actor: tokenActor, kind: "worker", workspaceId: ws.id, input: { name: "triage" } });
  await assignConnector({ actor: tokenActor, target: { type: "worker", workerId: worker.id }, input: { connectorId: prod.id } });
  await assignConnector({
    actor: tokenActor,
    target: { type: "worker", workerId: worker.id },
    input: { connectorId: test.id, operationIds: ["getCharge"] },
  });
  return { ws, key, provider, prod, test, unassigned, worker };
}

const get = async (key: string, query: string) => {
  const res = await fetch(`${base}/api/v1/tools${query}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, body: (await res.json()) as ToolAnswer, headers: res.headers };
};

describe("GET /api/v1/tools", () => {
  it("lists exactly what is assigned to a worker, with unique valid names, valid JSON Schemas and where to call each", async () => {
    const { key, prod, test, unassigned, worker } = await setup();
    const { status, body, headers } = await get(key, `?worker=${worker.id}`);
    expect(status).toBe(200);
    expect(headers.get("x-request-id")).toBe("req_tools_test");
    expect(body.target).toEqual({ type: "worker", id: worker.id, name: "triage" });
    expect(body.data.map((d) => `${d.connectorId === prod.id ? "prod" : "test"}:${d.operationId}`)).toEqual([
      "prod:listCharges",
      "prod:createCharge",
      "prod:getCharge",
      "prod:refundCharge",
      "test:getCharge",
    ]);
    expect(body.data.some((d) => d.connectorId === unassigned.id)).toBe(false);
    const names = body.tools.map((t) => t.function.name);
    expect(names).toEqual(body.data.map((d) => d.name));
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(TOOL_NAME_PATTERN);
    expect(names).toContain("billing_prod__getCharge");
    expect(names).toContain("billing_test__getCharge");
    for (const t of body.tools) {
      expect(t.type).toBe("function");
      expect(() => ajv.compile(t.function.parameters)).not.toThrow();
    }
    const create = body.tools[body.data.findIndex((d) => d.operationId === "createCharge")].function;
    const validate = ajv.compile(create.parameters);
    expect(validate({ body: { amount: 5 } })).toBe(true);
    expect(validate({ body: { note: "no amount" } })).toBe(false);
    expect(body.data.find((d) => d.connectorId === test.id)?.callPath).toBe(`/api/v1/tools/${test.id}/getCharge`);

    // By name, and the same answer for `next dev` through the App Router binding.
    expect((await get(key, "?worker=triage")).body.data).toEqual(body.data);
    const dev = await v1Route.GET(
      new Request(`http://localhost/api/v1/tools?worker=triage`, { headers: { authorization: `Bearer ${key}` } }),
    );
    expect(dev.status).toBe(200);
    expect(((await dev.json()) as ToolAnswer).tools).toEqual(body.tools);
  });

  it("lists a skill's picked operations and a node's (by id or workflow/node); a pinned version's operations", async () => {
    const { ws, key, provider, prod } = await setup();
    const skill = await createAgent({ actor: tokenActor, kind: "skill", workspaceId: ws.id, input: { name: "refunds" } });
    await assignConnector({
      actor: tokenActor,
      target: { type: "skill", skillId: skill.id },
      input: { connectorId: prod.id, operationIds: ["refundCharge", "getCharge"] },
    });
    expect((await get(key, "?skill=refunds")).body.data.map((d) => d.operationId)).toEqual(["getCharge", "refundCharge"]);

    const wf = await createAgent({ actor: tokenActor, kind: "workflow", workspaceId: ws.id, input: { name: "onboarding" } });
    const node = await createNode({ actor: tokenActor, workflowId: wf.id, input: { name: "charge" } });
    const v1 = await db.provider.findUniqueOrThrow({ where: { id: provider.id }, select: { currentVersionId: true } });
    const pinned = await createConnectorRow({
      workspaceId: ws.id,
      providerId: provider.id,
      name: "pinned",
      pinnedVersionId: v1.currentVersionId,
    });
    await assignConnector({
      actor: tokenActor,
      target: { type: "node", workflowId: wf.id, nodeId: node.id },
      input: { connectorId: pinned.id },
    });
    // A new version drops listCharges and adds ping: the pinned connector keeps v1's operations.
    const { TINY_API } = await import("../agents/test-fixtures");
    const v2 = TINY_API.replace("operationId: listCharges", "operationId: listAllCharges").replace(
      "paths:\n",
      'paths:\n  /ping:\n    get: { operationId: ping, responses: { "200": { description: ok } } }\n',
    );
    await importProviderVersion({ actor: tokenActor, providerId: provider.id, input: { document: v2 } });
    const byPath = await get(key, "?node=onboarding/charge");
    expect(byPath.status).toBe(200);
    expect(byPath.body.target).toEqual({ type: "node", id: node.id, name: "onboarding/charge" });
    expect(byPath.body.data.map((d) => d.operationId)).toEqual(["listCharges", "createCharge", "getCharge", "refundCharge"]);
    expect((await get(key, `?node=${node.id}`)).body.data).toEqual(byPath.body.data);
    expect((await get(key, "?node=charge")).body.data).toEqual(byPath.body.data);
    // The connector that follows "latest" now offers the new operations.
    expect((await get(key, "?skill=refunds")).body.data.map((d) => d.operationId)).toEqual(["getCharge", "refundCharge"]);
  });

  it("answers 404 for another workspace's worker, 400 without exactly one target, 401 without a valid key", async () => {
    const a = await setup();
    const b = await setup();
    const cross = await get(a.key, `?worker=${b.worker.id}`);
    expect(cross.status).toBe(404);
    expect(cross.body.error).toMatchObject({ code: "not_found" });
    expect(JSON.stringify(cross.body)).not.toContain(b.prod.id);
    // A's own "triage" by name is A's, never B's.
    expect((await get(a.key, "?worker=triage")).body.target.id).toBe(a.worker.id);
    expect((await get(a.key, "?worker=nobody")).status).toBe(404);
    expect((await get(a.key, "")).status).toBe(400);
    expect((await get(a.key, `?worker=${a.worker.id}&skill=x`)).status).toBe(400);
    expect((await get("sbk_not-a-key-at-all", `?worker=${a.worker.id}`)).status).toBe(401);
    const none = await fetch(`${base}/api/v1/tools?worker=${a.worker.id}`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: "invalid_api_key" } });
  });
});
