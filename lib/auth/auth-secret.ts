import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDir, env } from "../env";
import { processSingleton } from "../db/global";

// The session-signing secret: NEXTAUTH_SECRET when set; otherwise one generated on first start and kept
// (owner-only) in the data directory, so sessions survive restarts of the embedded default.
export function authSecret(): string {
  return processSingleton("authSecret", () => {
    if (env.NEXTAUTH_SECRET) return env.NEXTAUTH_SECRET;
    const file = path.join(dataDir, "auth-secret");
    try {
      return fs.readFileSync(file, "utf8").trim();
    } catch {
      fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const secret = crypto.randomBytes(32).toString("base64url");
      try {
        fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
        return secret;
      } catch {
        return fs.readFileSync(file, "utf8").trim();
      }
    }
  });
}
