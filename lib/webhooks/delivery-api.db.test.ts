import { beforeAll, describe, expect, it } from "vitest";
import * as workflows from "../../app/api/admin/workflows/route";
import * as workflowById from "../../app/api/admin/workflows/[id]/route";
import * as rotate from "../../app/api/admin/workflows/[id]/rotate-delivery-secret/route";
import * as skills from "../../app/api/admin/skills/route";
import { createAdminToken } from "../tokens/admin-tokens";
import { createWorkspace, suffix, tokenActor } from "../testing/factories";
import { db, useTestDb } from "../testing/db";

// A workflow's delivery settings through the admin API as clients call it.
useTestDb();
beforeAll(() => db.adminToken.count(), 60_000);

type Handler = (req: Request, ctx?: { params?: Promise<Record<string, string>> }) => Promise<Response> | Response;

describe("admin API: delivery settings", () => {
  let token = "";
  let workspaceId = "";
  beforeAll(async () => {
    token = (await createAdminToken({ actor: tokenActor, input: { name: `delivery-${suffix()}` } })).token;
    workspaceId = (await createWorkspace()).id;
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

  it("creates a workflow with a delivery URL, answers its secret once, validates, and rotates", async () => {
    const res = await call(workflows.POST, `/api/admin/workflows?workspaceId=${workspaceId}`, {
      method: "POST",
      json: { name: "onboarding", deliveryUrl: "https://flows.example.com/in" },
    });
    expect(res.status).toBe(201);
    const wf = await res.json();
    expect(wf.deliverySecret).toMatch(/^whsec_/);
    expect(wf.delivery).toMatchObject({ url: "https://flows.example.com/in", internal: false, secretSet: true });

    const read = await (await call(workflowById.GET, `/api/admin/workflows/${wf.id}`, {}, { id: wf.id })).json();
    expect(read.deliverySecret).toBeUndefined();
    expect(JSON.stringify(read)).not.toContain(wf.deliverySecret.slice(6));

    const bad = await call(
      workflowById.PATCH,
      `/api/admin/workflows/${wf.id}`,
      { method: "PATCH", json: { deliveryUrl: "javascript:alert(1)" } },
      { id: wf.id },
    );
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors).toEqual([{ path: "deliveryUrl", message: "Must be an http(s) URL without credentials" }]);
    const meta = await call(
      workflowById.PATCH,
      `/api/admin/workflows/${wf.id}`,
      { method: "PATCH", json: { deliveryUrl: "http://169.254.169.254/latest" } },
      { id: wf.id },
    );
    expect(meta.status).toBe(422);
    expect((await meta.json()).errors[0].path).toBe("deliveryUrl");

    // Changing the URL keeps the secret (no new one answered).
    const moved = await call(
      workflowById.PATCH,
      `/api/admin/workflows/${wf.id}`,
      { method: "PATCH", json: { deliveryUrl: "https://flows.example.com/v2" } },
      { id: wf.id },
    );
    expect(moved.status).toBe(200);
    const movedBody = await moved.json();
    expect(movedBody.deliverySecret).toBeUndefined();
    expect(movedBody.delivery.url).toBe("https://flows.example.com/v2");

    const rotated = await call(rotate.POST, `/api/admin/workflows/${wf.id}/rotate-delivery-secret`, { method: "POST" }, { id: wf.id });
    expect(rotated.status).toBe(200);
    const { secret } = await rotated.json();
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(wf.deliverySecret);
    const gone = await call(
      rotate.POST,
      `/api/admin/workflows/wf_missing/rotate-delivery-secret`,
      { method: "POST" },
      { id: "wf_missing" },
    );
    expect(gone.status).toBe(404);
  });

  it("refuses delivery fields on a skill", async () => {
    const res = await call(skills.POST, `/api/admin/skills?workspaceId=${workspaceId}`, {
      method: "POST",
      json: { name: "refunds", deliveryUrl: "https://x.example.com" },
    });
    expect(res.status).toBe(422);
    expect((await res.json()).errors).toEqual([{ path: "(root)", message: "Unknown field: deliveryUrl" }]);
  });
});
