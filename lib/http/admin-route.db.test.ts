import { describe, expect, it } from "vitest";
import { z } from "../schemas/zod";
import { adminRoute } from "./admin-route";
import { createAdminToken } from "../tokens/admin-tokens";
import { createUser, createWorkspace, suffix } from "../testing/factories";
import { useTestDb } from "../testing/db";
import * as credentials from "@/app/api/admin/credentials/route";
import * as credential from "@/app/api/admin/credentials/[id]/route";

useTestDb();

// adminRoute parses every answer with the declared response schema outside production (vitest runs with
// NODE_ENV=test), so a handler that drifts from its declaration fails here instead of reaching clients.
async function adminToken() {
  const { actor } = await createUser({ isInstanceAdmin: true });
  return (await createAdminToken({ actor, input: { name: `route ${suffix()}` } })).token;
}

const call = (
  handler: (req: Request, ctx?: { params?: Promise<Record<string, string>> }) => Promise<Response> | Response,
  token: string,
  opts: { method?: string; path?: string; body?: unknown; params?: Record<string, string> } = {},
) =>
  handler(
    new Request(`http://localhost${opts.path ?? "/api/admin/test"}`, {
      method: opts.method ?? "GET",
      headers: { authorization: `Bearer ${token}`, ...(opts.body ? { "content-type": "application/json" } : {}) },
      body: opts.body ? JSON.stringify(opts.body) : undefined,
    }),
    { params: Promise.resolve(opts.params ?? {}) },
  );

describe("adminRoute checks answers against the declaration", () => {
  it("answers 500 with a problem naming the drifted fields, and for an undeclared status", async () => {
    const token = await adminToken();
    const declared = { summary: "test", tags: ["Test"], responses: { 200: z.object({ name: z.string() }) } };
    const wrongType = await call(
      adminRoute(declared, async () => ({ name: 1 })),
      token,
    );
    expect(wrongType.status).toBe(500);
    const problem = await wrongType.json();
    expect(problem.detail).toContain("drifted from its declaration");
    expect(problem.errors).toEqual([{ path: "name", message: expect.any(String) }]);

    const extra = await call(
      adminRoute(declared, async () => ({ name: "a", passwordHash: "x" })),
      token,
    );
    expect(extra.status).toBe(500);
    expect((await extra.json()).errors).toEqual([{ path: "passwordHash", message: "Not in the declared response schema" }]);

    const noContent = await call(
      adminRoute(declared, async () => undefined),
      token,
    );
    expect(noContent.status).toBe(500);
    expect((await noContent.json()).detail).toContain("status 204 is not declared");

    expect(
      (
        await call(
          adminRoute(declared, async () => ({ name: "a" })),
          token,
        )
      ).status,
    ).toBe(200);
  });

  it("serves the credentials operations within their declarations", async () => {
    const token = await adminToken();
    const ws = await createWorkspace();
    const q = `?workspaceId=${ws.id}`;
    const made = await call(credentials.POST, token, {
      method: "POST",
      path: `/api/admin/credentials${q}`,
      body: { name: `c ${suffix()}`, kind: "api-key", value: "sk-test-1234567890" },
    });
    expect(made.status).toBe(201);
    const dto = await made.json();
    expect(dto).toMatchObject({ workspaceId: ws.id, kind: "api-key" });
    expect(JSON.stringify(dto)).not.toContain("sk-test-1234567890");
    const list = await call(credentials.GET, token, { path: `/api/admin/credentials${q}` });
    expect(list.status).toBe(200);
    expect((await list.json()).data.map((c: { id: string }) => c.id)).toEqual([dto.id]);
    const byId = { params: { id: dto.id }, path: `/api/admin/credentials/${dto.id}` };
    expect((await call(credential.GET, token, byId)).status).toBe(200);
    const renamed = await call(credential.PATCH, token, { ...byId, method: "PATCH", body: { description: "renamed" } });
    expect(renamed.status).toBe(200);
    expect((await renamed.json()).description).toBe("renamed");
    expect((await call(credential.DELETE, token, { ...byId, method: "DELETE" })).status).toBe(204);
  });
});
