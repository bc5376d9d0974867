import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// Runs before each *.db.test.ts file is imported, so lib/env (read once at import) sees these values.
// Without DATABASE_URL every file gets a fresh PGlite in its own temp directory; with it, files share that
// PostgreSQL database and must not depend on rows they did not create.
if (!process.env.DATABASE_URL) {
  process.env.SWITCHBOARD_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "sb-test-"));
}
process.env.SWITCHBOARD_ADMIN_TOKEN = `envtok_${crypto.randomBytes(24).toString("base64url")}`;
process.env.LOG_LEVEL ??= "error";
