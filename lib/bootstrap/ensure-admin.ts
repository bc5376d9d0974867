import { db } from "../db/client";
import { hashPassword } from "../auth/password";
import { recordAudit } from "../audit/record";
import { logger } from "../log";
import { isUniqueViolation } from "../db/errors";

/**
 * First start on an empty database: create the instance admin from ADMIN_EMAIL / ADMIN_PASSWORD and a
 * "Default" workspace they administer. Does nothing once any user exists.
 */
export async function ensureAdmin(opts: { email?: string; password?: string; name?: string }): Promise<"created" | "exists" | "skipped"> {
  if ((await db.user.count()) > 0) return "exists";
  if (!opts.email || !opts.password) {
    logger.warn("no users yet and ADMIN_EMAIL / ADMIN_PASSWORD are not set: nobody can sign in until they are");
    return "skipped";
  }
  const passwordHash = await hashPassword(opts.password);
  try {
    return (await bootstrap(opts.email, opts.name, passwordHash)) ? "created" : "exists";
  } catch (e) {
    // Another instance starting on the same empty database won the race: its admin stands.
    if (isUniqueViolation(e)) return "exists";
    throw e;
  }
}

async function bootstrap(email: string, name: string | undefined, passwordHash: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    if ((await tx.user.count()) > 0) return false;
    const user = await tx.user.create({
      data: { email: email.trim().toLowerCase(), name: name ?? "Admin", passwordHash, isInstanceAdmin: true },
    });
    // registry-neutral: a new workspace has no keys, no budget and stores no bodies.
    const ws = await tx.workspace.create({ data: { name: "Default", slug: "default", description: "Created on first start" } });
    await tx.membership.create({ data: { workspaceId: ws.id, userId: user.id, role: "ADMIN" } });
    await recordAudit(tx, {
      actor: { type: "system" },
      action: "instance.bootstrap",
      targetType: "user",
      targetId: user.id,
      targetLabel: user.email,
      workspaceId: ws.id,
      changes: { isInstanceAdmin: { from: null, to: true } },
    });
    return true;
  });
}
