import path from "node:path";
import { defineConfig } from "prisma/config";

// `prisma generate` never runs the schema engine, but the CLI refuses to start without one on disk and
// would try to download it. Point it at any existing file; migrations run through the wasm engine instead
// (lib/db/migrate.ts).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(import.meta.dirname, "schema.prisma");
process.env.PRISMA_HIDE_UPDATE_MESSAGE ??= "1";

export default defineConfig({
  schema: path.join(import.meta.dirname, "schema.prisma"),
  migrations: { path: path.join(import.meta.dirname, "migrations") },
});
