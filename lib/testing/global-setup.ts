import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import { applyMigrations } from "../db/migrate";

// Migrating takes seconds (wasm schema engine), so it runs once here: into a PGlite template directory that
// each test file copies, or straight into the PostgreSQL database named by DATABASE_URL.
declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const factory = new PrismaPg({ connectionString: url, max: 2 });
    await applyMigrations(factory);
    project.provide("pgliteTemplate", "");
    return;
  }
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "sb-template-"));
  const dir = path.join(base, "pglite");
  const pglite = new PGlite(dir);
  await applyMigrations(new PrismaPGlite(pglite));
  await pglite.close();
  project.provide("pgliteTemplate", dir);
  return () => fs.rmSync(base, { recursive: true, force: true });
}
