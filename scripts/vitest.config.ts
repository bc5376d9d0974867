import path from "node:path";
import { defineConfig } from "vitest/config";

// Two projects: `unit` (pure functions, parallel) and `db` (files named *.db.test.ts, one file at a time: each
// file opens its own PGlite in a temp dir, or shares the PostgreSQL database named by DATABASE_URL).
//   all tests:      npx vitest run --config scripts/vitest.config.ts
//   database only:  npx vitest run --config scripts/vitest.config.ts --project db
const root = path.resolve(import.meta.dirname, "..");

export default defineConfig({
  root,
  resolve: { alias: { "@": root } },
  test: {
    pool: "forks",
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          environment: "node",
          include: ["lib/**/*.test.ts"],
          exclude: ["lib/**/*.db.test.ts", "**/node_modules/**", "lib/db/generated/**"],
          testTimeout: 10_000,
        },
      },
      {
        extends: true,
        test: {
          name: "db",
          environment: "node",
          include: ["lib/**/*.db.test.ts"],
          globalSetup: ["lib/testing/global-setup.ts"],
          setupFiles: ["lib/testing/setup-db-env.ts"],
          // PGlite holds a whole Postgres in memory per file; one file at a time keeps a 2-core box responsive.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
