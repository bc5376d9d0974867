import { db } from "../db/client";
import { hashPassword } from "../auth/password";
import { recordAudit } from "../audit/record";
import { logger } from "../log";

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
  await db.$transaction(async (tx) => {
    if ((await tx.user.count()) > 0) return;
    const user = await tx.user.create({
      data: { email: opts.email!.trim().toLowerCase(), name: opts.name ?? "Admin", passwordHash, isInstanceAdmin: true },
    });
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
  });
  return "created";
}
