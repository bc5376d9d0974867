import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validate } from "@readme/openapi-parser";
import { GET as openapiJson } from "@/app/api/admin/openapi.json/route";
import { ADMIN_ROUTES } from "@/app/api/admin/openapi.json/operations";
import { apiPathOf } from "./generate";
import { HTTP_METHODS, isDeclaredHandler } from "../http/operation";

// The admin API's document against the route files on disk: every exported handler is described, nothing else
// is, and the document is valid OpenAPI 3.1.
const ADMIN_DIR = path.resolve(import.meta.dirname, "../../app/api/admin");

function routeDirs(dir = ADMIN_DIR): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...routeDirs(full));
    else if (entry.name === "route.ts") out.push(path.relative(ADMIN_DIR, dir).split(path.sep).join("/"));
  }
  return out.sort();
}

type Doc = { openapi: string; paths: Record<string, Record<string, { summary?: string; responses: Record<string, unknown> }>> };

async function servedDocument(): Promise<Doc> {
  const res = await openapiJson(new Request("http://localhost/api/admin/openapi.json"));
  expect(res.status).toBe(200);
  return (await res.json()) as Doc;
}

describe("the admin API's OpenAPI document", () => {
  it("describes every handler a route file exports, and nothing else", async () => {
    const doc = await servedDocument();
    const served = new Set<string>();
    for (const dir of routeDirs()) {
      const mod = (await import(path.join(ADMIN_DIR, dir, "route.ts"))) as Record<string, unknown>;
      for (const method of HTTP_METHODS) {
        if (mod[method] === undefined) continue;
        const op = `${method} ${apiPathOf(dir)}`;
        served.add(op);
        expect(isDeclaredHandler(mod[method]), `${op} is not declared through adminRoute`).toBe(true);
      }
    }
    const described = new Set(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)));
    expect(
      [...served].filter((op) => !described.has(op)),
      "served but not in the document (add the route to operations.ts)",
    ).toEqual([]);
    expect(
      [...described].filter((op) => !served.has(op)),
      "in the document but served by no route file",
    ).toEqual([]);
  });

  it("lists each route module under its own folder", async () => {
    const dirs = routeDirs().filter((d) => d !== "openapi.json");
    expect(ADMIN_ROUTES.map((r) => r.dir).sort()).toEqual(dirs);
    for (const { dir, module } of ADMIN_ROUTES) {
      const onDisk = (await import(path.join(ADMIN_DIR, dir, "route.ts"))) as Record<string, unknown>;
      for (const method of HTTP_METHODS) expect(module[method], `${dir} ${method}`).toBe(onDisk[method]);
    }
  });

  it("includes the credentials operations", async () => {
    const doc = await servedDocument();
    expect(Object.keys(doc.paths["/api/admin/credentials"]).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/admin/credentials/{id}"]).sort()).toEqual(["delete", "get", "patch"]);
    expect(Object.keys(doc.paths["/api/admin/credentials/keys"])).toEqual(["get"]);
  });

  it("gives every operation a summary, a success response and problem documents for errors", async () => {
    const doc = await servedDocument();
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        expect(op.summary, `${m} ${p}`).toBeTruthy();
        const statuses = Object.keys(op.responses);
        expect(
          statuses.some((s) => s.startsWith("2")),
          `${m} ${p} has no success response`,
        ).toBe(true);
        if (p !== "/api/admin/openapi.json") expect(statuses, `${m} ${p}`).toContain("401");
      }
    }
  });

  it("is valid OpenAPI 3.1", async () => {
    const doc = await servedDocument();
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
  });
});
