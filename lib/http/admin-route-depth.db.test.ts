import { beforeAll, describe, expect, it } from "vitest";
import { adminRoute } from "./admin-route";
import { z } from "../schemas/zod";
import { createAdminToken } from "../tokens/admin-tokens";
import { suffix } from "../testing/factories";
import { db, useTestDb } from "../testing/db";

useTestDb();
// The first query opens the database; a transaction waiting behind it on a loaded machine would time out.
beforeAll(() => db.adminToken.count(), 60_000);

describe("adminRoute body parsing", () => {
  it("refuses a body nested 100,000 levels deep with a 400 problem naming the path, not a 500", async () => {
    const { token } = await createAdminToken({ actor: { type: "token", id: null, name: "t" }, input: { name: `depth-${suffix()}` } });
    let called = false;
    const route = adminRoute(
      {
        summary: "test",
        tags: ["Test"],
        body: z.strictObject({ data: z.unknown() }),
        maxBodyBytes: 1024 * 1024,
        responses: { 200: z.object({ ok: z.boolean() }) },
      },
      async () => {
        called = true;
        return { ok: true };
      },
    );
    const post = (body: string) =>
      route(
        new Request("http://localhost/api/admin/test", {
          method: "POST",
          body,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        }),
      );

    const res = await post(`{"data":${"[".repeat(100_000)}${"]".repeat(100_000)}}`);
    expect(res.status).toBe(400);
    const problem = await res.json();
    expect(problem.detail).toBe("The body is nested too deeply");
    expect(problem.errors).toEqual([{ path: expect.stringMatching(/^data\[0\]\[0\]/), message: "Nested more than 64 levels deep" }]);
    expect(called).toBe(false);

    const ok = await post(`{"data":${"[".repeat(60)}${"]".repeat(60)}}`);
    expect(ok.status).toBe(200);
  });
});
