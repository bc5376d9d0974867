import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyConfig } from "./apply-config";
import { applyConfigFile } from "./apply-file";
import { exportConfig } from "./export-config";
import { createWorkspace, tokenActor } from "../testing/factories";
import { db, useTestDb } from "../testing/db";
import { expectAppError } from "../testing/errors";

useTestDb();

const spec = (version: string, extra = "") => `openapi: 3.0.3
info: { title: Files, version: "${version}" }
paths:
  /files: { get: { operationId: listFiles, responses: { "200": { description: ok } } } }
${extra}`;

describe("configuration section providers", () => {
  it("applies a spec path relative to the start-up file, idempotently, and exports it", async () => {
    const ws = await createWorkspace();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-prov-"));
    fs.mkdirSync(path.join(dir, "specs"));
    fs.writeFileSync(path.join(dir, "specs", "files.yaml"), spec("1"));
    const file = path.join(dir, "switchboard.yaml");
    fs.writeFileSync(file, `providers:\n  - { name: Files, workspace: "${ws.name}", spec: ./specs/files.yaml }\n`);

    const first = await applyConfigFile(file);
    expect(first.changes).toEqual([expect.objectContaining({ section: "providers", name: "Files", action: "create" })]);
    const p = await db.provider.findFirstOrThrow({ where: { workspaceId: ws.id, name: "Files" }, select: { id: true, source: true } });
    expect(p.source).toBe("config");
    expect(await db.providerOperation.count({ where: { providerId: p.id } })).toBe(1);

    const again = await applyConfigFile(file);
    expect(again.changes).toEqual([expect.objectContaining({ name: "Files", action: "unchanged" })]);
    expect(await db.providerVersion.count({ where: { providerId: p.id } })).toBe(1);

    fs.writeFileSync(
      path.join(dir, "specs", "files.yaml"),
      spec(
        "2",
        '  /files/{id}: { delete: { parameters: [{ name: id, in: path, required: true, schema: { type: string } }], responses: { "204": { description: gone } } } }\n',
      ),
    );
    const changed = await applyConfigFile(file);
    expect(changed.changes).toEqual([expect.objectContaining({ name: "Files", action: "update" })]);
    expect(await db.providerVersion.count({ where: { providerId: p.id } })).toBe(2);
    expect(await db.providerOperation.count({ where: { providerId: p.id } })).toBe(2);

    const exported = await exportConfig({ actor: tokenActor });
    expect(exported.providers).toContainEqual({ name: "Files", workspace: ws.name, spec: "./specs/files.yaml" });
  });

  it("refuses local paths in a document sent through the API, and hostile specs, applying nothing", async () => {
    const ws = await createWorkspace();
    const before = await db.provider.count();
    for (const s of ["./specs/files.yaml", "/etc/passwd", "file:///etc/passwd", "http://169.254.169.254/openapi.json"]) {
      const e = await expectAppError(
        applyConfig({ actor: tokenActor, doc: { providers: [{ name: "Files", workspace: ws.name, spec: s }] } }),
        "validation_failed",
      );
      expect(e.fields?.[0]?.path).toBe("providers[0].spec");
    }
    const e = await expectAppError(
      applyConfig({ actor: tokenActor, doc: { providers: [{ name: "Files", workspace: ws.name, catalog: "github", spec: "x" }] } }),
      "validation_failed",
    );
    expect(e.fields?.some((f) => f.path.startsWith("providers[0]"))).toBe(true);
    expect(await db.provider.count()).toBe(before);
  });
});
