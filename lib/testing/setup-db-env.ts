import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

// Runs before each *.db.test.ts file is imported, so lib/env (read once at import) sees these values.
// Without DATABASE_URL every file gets a fresh PGlite in its own temp directory; with it, files share that
// PostgreSQL database and must not depend on rows they did not create.
let tempDir: string | undefined;
if (!process.env.DATABASE_URL) {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "sb-test-"));
  process.env.SWITCHBOARD_DATA_DIR = tempDir;
}
process.env.SWITCHBOARD_ADMIN_TOKEN = `envtok_${crypto.randomBytes(24).toString("base64url")}`;
process.env.LOG_LEVEL ??= "error";
// A PostgreSQL deployment refuses to store secrets without a key ring (the embedded default makes its own).
if (process.env.DATABASE_URL) process.env.SWITCHBOARD_ENCRYPTION_KEYS ??= `test:${crypto.randomBytes(32).toString("base64")}`;

// Runs after the file's own afterAll hooks: closes the database if a file left it open, removes the temp dir.
afterAll(async () => {
  const { closeDb } = await import("../db/client");
  await closeDb();
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
});
