import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { authenticate, SIGN_IN_FAILED } from "./sign-in";
import { createUser } from "../testing/factories";
import { db, useTestDb } from "../testing/db";
import { expectAppError } from "../testing/errors";

useTestDb();
const PASSWORD = "a-good-password";
const addr = () => `10.${crypto.randomInt(255)}.${crypto.randomInt(255)}.${crypto.randomInt(255)}-${crypto.randomUUID()}`;

describe("authenticate", () => {
  it("signs in with the right password, ignoring email case and spaces, and records the login", async () => {
    const { user } = await createUser({ password: PASSWORD });
    const out = await authenticate({ email: `  ${user.email.toUpperCase()} `, password: PASSWORD, address: addr() });
    expect(out).toEqual({ id: user.id, email: user.email, name: user.name });
    expect(out).not.toHaveProperty("passwordHash");
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).lastLoginAt).toBeInstanceOf(Date);
  });

  it("gives the same generic error for a wrong password, an unknown email and a disabled account", async () => {
    const { user } = await createUser({ password: PASSWORD });
    const wrong = await expectAppError(
      authenticate({ email: user.email, password: "not-the-password", address: addr() }),
      "unauthenticated",
    );
    const unknown = await expectAppError(
      authenticate({ email: `nobody-${user.id}@example.test`, password: PASSWORD, address: addr() }),
      "unauthenticated",
    );
    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    const disabled = await expectAppError(authenticate({ email: user.email, password: PASSWORD, address: addr() }), "unauthenticated");
    for (const e of [wrong, unknown, disabled]) {
      expect(e.message).toBe(SIGN_IN_FAILED);
      expect(e.fields).toBeUndefined();
    }
  });

  it("locks the account after 5 failures, even for the right password, with a retry-after", async () => {
    const { user } = await createUser({ password: PASSWORD });
    for (let i = 0; i < 5; i++) {
      await expectAppError(authenticate({ email: user.email, password: `wrong-${i}`, address: addr() }), "unauthenticated");
    }
    const e = await expectAppError(authenticate({ email: user.email, password: PASSWORD, address: addr() }), "rate_limited");
    expect(e.retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(e.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    expect(e.message).not.toContain(user.email);
    // The lock is per account: another account signs in from the same place.
    const other = await createUser({ password: PASSWORD });
    await expect(authenticate({ email: other.user.email, password: PASSWORD, address: addr() })).resolves.toMatchObject({
      id: other.user.id,
    });
  });

  it("a successful sign-in clears the account's failures", async () => {
    const { user } = await createUser({ password: PASSWORD });
    const a = addr();
    for (let i = 0; i < 4; i++)
      await expectAppError(authenticate({ email: user.email, password: "nope-nope", address: a }), "unauthenticated");
    await authenticate({ email: user.email, password: PASSWORD, address: a });
    for (let i = 0; i < 4; i++)
      await expectAppError(authenticate({ email: user.email, password: "nope-nope", address: a }), "unauthenticated");
    await expect(authenticate({ email: user.email, password: PASSWORD, address: a })).resolves.toMatchObject({ id: user.id });
  });

  it("limits failures per client address across accounts (20)", async () => {
    const a = addr();
    for (let i = 0; i < 20; i++) {
      await expectAppError(authenticate({ email: `spray-${i}-${a}@example.test`, password: "guess-guess", address: a }), "unauthenticated");
    }
    const { user } = await createUser({ password: PASSWORD });
    await expectAppError(authenticate({ email: user.email, password: PASSWORD, address: a }), "rate_limited");
    await expect(authenticate({ email: user.email, password: PASSWORD, address: addr() })).resolves.toMatchObject({ id: user.id });
  });
});
