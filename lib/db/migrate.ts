import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

// Prisma's own schema engine compiled to WebAssembly: the same migrations and `_prisma_migrations` table as
// `prisma migrate deploy`, without the native binary the CLI would download. We instantiate the .wasm
// ourselves so no --experimental-wasm-modules flag is needed.

type Engine = {
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  diff(input: unknown): Promise<{ exitCode: number; stdout?: string }>;
  free(): void;
};

const require = createRequire(import.meta.url);

async function loadEngineModule(): Promise<{
  SchemaEngine: { new: (o: unknown, log: (m: string) => void, a: object) => Promise<Engine> };
}> {
  const bgPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const bg = (await import(/* webpackIgnore: true */ bgPath)) as Record<string, unknown> & {
    __wbg_set_wasm(w: unknown): void;
  };
  const g = globalThis as unknown as Record<symbol, boolean>;
  const key = Symbol.for("switchboard.schemaEngineWasm");
  if (!g[key]) {
    const bytes = fs.readFileSync(path.join(path.dirname(bgPath), "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bg as WebAssembly.ModuleImports });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    g[key] = true;
  }
  return bg as never;
}

export function projectRoot(): string {
  // This file lives in lib/db: its grandparent is the project, wherever the process was started from.
  const fromModule = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
  if (fs.existsSync(path.join(fromModule, "prisma", "schema.prisma"))) return fromModule;
  let dir = process.cwd();
  while (!fs.existsSync(path.join(dir, "prisma", "schema.prisma"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("prisma/schema.prisma not found from " + process.cwd());
    dir = parent;
  }
  return dir;
}

function schemaFiles(root: string): [string, string][] {
  const file = path.join(root, "prisma", "schema.prisma");
  return [[file, fs.readFileSync(file, "utf8")]];
}

export function readMigrations(root = projectRoot()) {
  const baseDir = path.join(root, "prisma", "migrations");
  const names = fs.existsSync(baseDir)
    ? fs
        .readdirSync(baseDir)
        .filter((n) => fs.existsSync(path.join(baseDir, n, "migration.sql")))
        .sort()
    : [];
  const lockPath = path.join(baseDir, "migration_lock.toml");
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: names.map((name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok", value: fs.readFileSync(path.join(baseDir, name, "migration.sql"), "utf8") },
      },
    })),
  };
}

async function withEngine<T>(factory: SqlMigrationAwareDriverAdapterFactory, fn: (e: Engine) => Promise<T>): Promise<T> {
  const { SchemaEngine } = await loadEngineModule();
  const root = projectRoot();
  const engine = await SchemaEngine.new({ datamodels: schemaFiles(root) }, () => {}, bindMigrationAwareSqlAdapterFactory(factory));
  try {
    return await fn(engine);
  } finally {
    engine.free();
  }
}

/** Applies pending migrations from prisma/migrations; returns the names applied now. */
export async function applyMigrations(factory: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  return withEngine(factory, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList: readMigrations(), filters: { externalTables: [], externalEnums: [] } });
    return out.appliedMigrationNames;
  });
}

/** SQL that takes a database at the state of the existing migrations to the current schema ("" when none). */
export async function diffMigrationsToSchema(factory: SqlMigrationAwareDriverAdapterFactory): Promise<string> {
  const root = projectRoot();
  return withEngine(factory, async (engine) => {
    const list = readMigrations(root);
    const from = list.migrationDirectories.length ? { tag: "migrations", ...list } : { tag: "empty" };
    const out = await engine.diff({
      from,
      to: { tag: "schemaDatamodel", files: schemaFiles(root).map(([p, content]) => ({ path: p, content })) },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    return out.stdout ?? "";
  });
}
