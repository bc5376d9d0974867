import { db } from "../db/client";
import { AppError } from "../errors";
import { verifyPassword } from "./password";
import { SIGN_IN_RULES, signInThrottle } from "./throttle";

export const SIGN_IN_FAILED = "Invalid email or password";

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
}

/** Checks a password sign-in. One generic message for every failure; throttled per account and address. */
export async function authenticate(opts: { email: string; password: string; address: string }): Promise<SignedInUser> {
  const email = opts.email.trim().toLowerCase();
  const accountKey = `acct:${email}`;
  const addressKey = `addr:${opts.address}`;
  const throttle = signInThrottle();
  const wait = Math.max(throttle.retryAfter(accountKey, SIGN_IN_RULES.account), throttle.retryAfter(addressKey, SIGN_IN_RULES.address));
  if (wait > 0) {
    throw new AppError("rate_limited", `Too many failed sign-in attempts. Try again in ${Math.ceil(wait / 60)} minute(s).`, {
      retryAfterSeconds: wait,
    });
  }
  const user = await db.user.findUnique({ where: { email } });
  const ok = await verifyPassword(opts.password, user?.passwordHash);
  if (!user || !ok || user.disabledAt) {
    throttle.fail(accountKey, SIGN_IN_RULES.account);
    throttle.fail(addressKey, SIGN_IN_RULES.address);
    throw new AppError("unauthenticated", SIGN_IN_FAILED);
  }
  throttle.reset(accountKey);
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  return { id: user.id, email: user.email, name: user.name };
}
