import { beforeAll, describe, expect, it } from "vitest";
import * as workers from "../../app/api/admin/workers/route";
import * as workerById from "../../app/api/admin/workers/[id]/route";
import * as workerConnectors from "../../app/api/admin/workers/[id]/connectors/route";
import * as workerTools from "../../app/api/admin/workers/[id]/tools/route";
import * as skillConnectors from "../../app/api/admin/skills/[id]/connectors/route";
import * as skillAssignment from "../../app/api/admin/skills/[id]/connectors/[assignmentId]/route";
import * as skills from "../../app/api/admin/skills/route";
import * as workflows from "../../app/api/admin/workflows/route";
import * as nodes from "../../app/api/admin/workflows/[id]/nodes/route";
import * as nodeById from "../../app/api/admin/workflows/[id]/nodes/[nodeId]/route";
import * as nodeConnectors from "../../app/api/admin/workflows/[id]/nodes/[nodeId]/connectors/route";
import { createAdminToken } from "../tokens/admin-tokens";
import { createWorkspace, suffix, tokenActor } from "../testing/factories";
import { db, useTestDb } from "../testing/db";
import { createConnectorRow, importTinyProvider } from "./test-fixtures";

// The admin API's worker, workflow and skill routes as clients call them: status codes and problem documents.
useTestDb();
beforeAll(() => db.adminToken.count(), 60_000);

type Handler = (req: Request, ctx?: { params?: Promise<Record<string, string>> }) => Promise<Response> | Response;

describe("admin API: workers, workflows, skills and their connectors", () => {
  let token = "";
  let workspaceId = "";
  let otherWorkspaceId = "";
  beforeAll(async () => {
    token = (await createAdminToken({ actor: tokenActor, input: { name: `agents-${suffix()}` } })).token;
    workspaceId = (await createWorkspace()).id;
    otherWorkspaceId = (await createWorkspace()).id;
  });
  const call = (handler: Handler, url: string, init: RequestInit & { json?: unknown } = {}, params: Record<string, string> = {}) =>
    handler(
      new Request(`http://localhost${url}`, {
        ...init,
        ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      }),
      { params: Promise.resolve(params) },
    );

  it("creates (201), validates (422), refuses duplicates (409), renames, deletes (204)", async () => {
    const res = await call(workers.POST, `/api/admin/workers?workspaceId=${workspaceId}`, { method: "POST", json: { name: "triage" } });
    expect(res.status).toBe(201);
    const w = await res.json();
    expect(w).toMatchObject({ kind: "worker", name: "triage", description: "", connectorCount: 0, workspaceId });
    const bad = await call(workers.POST, `/api/admin/workers?workspaceId=${workspaceId}`, {
      method: "POST",
      json: { name: "a/b", extra: 1 },
    });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors.map((e: { path: string }) => e.path).sort()).toEqual(["(root)", "name"]);
    const dup = await call(workers.POST, `/api/admin/workers?workspaceId=${workspaceId}`, { method: "POST", json: { name: "Triage" } });
    expect(dup.status).toBe(409);
    const list = await (await call(workers.GET, `/api/admin/workers?workspaceId=${workspaceId}&q=tri`)).json();
    expect(list).toEqual({ data: [expect.objectContaining({ id: w.id })], nextCursor: null });
    const renamed = await call(
      workerById.PATCH,
      `/api/admin/workers/${w.id}`,
      { method: "PATCH", json: { name: "triage bot" } },
      { id: w.id },
    );
    expect(renamed.status).toBe(200);
    expect((await renamed.json()).name).toBe("triage bot");
    expect((await call(workerById.PATCH, `/api/admin/workers/${w.id}`, { method: "PATCH", json: {} }, { id: w.id })).status).toBe(422);
    expect((await call(workerById.DELETE, `/api/admin/workers/${w.id}`, { method: "DELETE" }, { id: w.id })).status).toBe(204);
    expect((await call(workerById.GET, `/api/admin/workers/${w.id}`, {}, { id: w.id })).status).toBe(404);
  });

  it("assigns connectors: another workspace's is 404, a skill needs existing operations (422), duplicates are 409; previews tools", async () => {
    const provider = await importTinyProvider(tokenActor, workspaceId, `Tiny ${suffix()}`);
    const conn = await createConnectorRow({ workspaceId, providerId: provider.id, name: `billing-${suffix()}` });
    const otherProvider = await importTinyProvider(tokenActor, otherWorkspaceId, `Tiny ${suffix()}`);
    const foreign = await createConnectorRow({ workspaceId: otherWorkspaceId, providerId: otherProvider.id, name: "foreign" });
    const w = await (
      await call(workers.POST, `/api/admin/workers?workspaceId=${workspaceId}`, { method: "POST", json: { name: `w-${suffix()}` } })
    ).json();
    const assign = (connectorId: string, operationIds?: string[]) =>
      call(
        workerConnectors.POST,
        `/api/admin/workers/${w.id}/connectors`,
        { method: "POST", json: { connectorId, operationIds } },
        { id: w.id },
      );
    expect((await assign(foreign.id)).status).toBe(404);
    expect((await assign(conn.id, ["missing"])).status).toBe(422);
    expect((await assign(conn.id)).status).toBe(201);
    expect((await assign(conn.id)).status).toBe(409);
    const assigned = await (await call(workerConnectors.GET, `/api/admin/workers/${w.id}/connectors`, {}, { id: w.id })).json();
    expect(assigned.data).toEqual([expect.objectContaining({ operationIds: [], connector: expect.objectContaining({ id: conn.id }) })]);
    const tools = await (await call(workerTools.GET, `/api/admin/workers/${w.id}/tools`, {}, { id: w.id })).json();
    expect(tools.tools).toHaveLength(4);

    const s = await (
      await call(skills.POST, `/api/admin/skills?workspaceId=${workspaceId}`, { method: "POST", json: { name: `s-${suffix()}` } })
    ).json();
    const none = await call(
      skillConnectors.POST,
      `/api/admin/skills/${s.id}/connectors`,
      { method: "POST", json: { connectorId: conn.id } },
      { id: s.id },
    );
    expect(none.status).toBe(422);
    expect((await none.json()).errors).toEqual([{ path: "operationIds", message: "Pick at least one operation" }]);
    const ok = await call(
      skillConnectors.POST,
      `/api/admin/skills/${s.id}/connectors`,
      { method: "POST", json: { connectorId: conn.id, operationIds: ["getCharge"] } },
      { id: s.id },
    );
    expect(ok.status).toBe(201);
    const a = await ok.json();
    const patched = await call(
      skillAssignment.PATCH,
      `/api/admin/skills/${s.id}/connectors/${a.id}`,
      { method: "PATCH", json: { operationIds: ["getCharge", "createCharge"] } },
      { id: s.id, assignmentId: a.id },
    );
    expect((await patched.json()).operationIds).toEqual(["getCharge", "createCharge"]);
    expect(
      (
        await call(
          skillAssignment.DELETE,
          `/api/admin/skills/${s.id}/connectors/${a.id}`,
          { method: "DELETE" },
          { id: s.id, assignmentId: a.id },
        )
      ).status,
    ).toBe(204);

    const wf = await (
      await call(workflows.POST, `/api/admin/workflows?workspaceId=${workspaceId}`, { method: "POST", json: { name: `f-${suffix()}` } })
    ).json();
    expect(wf.nodes).toEqual([]);
    const n1 = await (
      await call(nodes.POST, `/api/admin/workflows/${wf.id}/nodes`, { method: "POST", json: { name: "first" } }, { id: wf.id })
    ).json();
    await call(nodes.POST, `/api/admin/workflows/${wf.id}/nodes`, { method: "POST", json: { name: "second" } }, { id: wf.id });
    await call(
      nodeById.PATCH,
      `/api/admin/workflows/${wf.id}/nodes/${n1.id}`,
      { method: "PATCH", json: { position: 1 } },
      { id: wf.id, nodeId: n1.id },
    );
    const order = await (await call(nodes.GET, `/api/admin/workflows/${wf.id}/nodes`, {}, { id: wf.id })).json();
    expect(order.data.map((n: { name: string }) => n.name)).toEqual(["second", "first"]);
    const toNode = await call(
      nodeConnectors.POST,
      `/api/admin/workflows/${wf.id}/nodes/${n1.id}/connectors`,
      { method: "POST", json: { connectorId: conn.id } },
      { id: wf.id, nodeId: n1.id },
    );
    expect(toNode.status).toBe(201);
  });
});
