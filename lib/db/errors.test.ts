import { describe, expect, it } from "vitest";
import { dbErrorReason, isDataError, sqlStateOf } from "./errors";

// The shapes seen on this machine: PGlite's own error, and Prisma's raw-query error over @prisma/adapter-pg.
const pglite = (code: string, message: string) => Object.assign(new Error(message), { name: "error", code });
const prismaRaw = (code: string, message: string) =>
  Object.assign(
    new Error(`\nInvalid \`prisma.$queryRawUnsafe()\` invocation:\n\nRaw query failed. Code: \`${code}\`. Message: \`${message}\``),
    {
      name: "PrismaClientKnownRequestError",
      code: "P2010",
      meta: {
        driverAdapterError: {
          name: "DriverAdapterError",
          cause: { originalCode: code, originalMessage: message, kind: "postgres", code, message },
        },
      },
    },
  );

describe("database error classes", () => {
  it("reads the SQLSTATE from PGlite, the driver adapter and Prisma's raw-query error", () => {
    expect(sqlStateOf(pglite("22021", "x"))).toBe("22021");
    expect(sqlStateOf(prismaRaw("22P05", "x"))).toBe("22P05");
    expect(sqlStateOf({ name: "DriverAdapterError", cause: { originalCode: "23505", kind: "UniqueConstraintViolation" } })).toBe("23505");
    expect(sqlStateOf(Object.assign(new Error("x"), { name: "PrismaClientKnownRequestError", code: "P2010" }))).toBeNull();
    expect(sqlStateOf(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }))).toBeNull();
  });

  it("calls data exceptions and integrity violations (but duplicates) data errors, and the rest transient", () => {
    for (const e of [
      pglite("22021", "x"),
      prismaRaw("22P02", "x"),
      prismaRaw("22003", "x"),
      pglite("23502", "x"),
      pglite("54000", "x"),
      new RangeError("Invalid time value"),
      new SyntaxError("Cannot convert NaN to a BigInt"),
    ]) {
      expect(isDataError(e)).toBe(true);
    }
    for (const e of [
      pglite("23505", "duplicate"),
      prismaRaw("08006", "connection lost"),
      prismaRaw("57P01", "terminating connection due to administrator command"),
      prismaRaw("40001", "could not serialize access"),
      pglite("25006", "read-only transaction"),
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
      Object.assign(new Error("Can't reach database server"), { name: "PrismaClientInitializationError", errorCode: "P1001" }),
      new Error("the embedded database thread exited (code 1)"),
    ]) {
      expect(isDataError(e)).toBe(false);
    }
  });

  it("gives the database's own message with its SQLSTATE, not Prisma's invocation text", () => {
    expect(dbErrorReason(prismaRaw("22021", 'invalid byte sequence for encoding "UTF8": 0x00'))).toBe(
      '22021: invalid byte sequence for encoding "UTF8": 0x00',
    );
    expect(dbErrorReason(pglite("22P05", "unsupported Unicode escape sequence"))).toBe("22P05: unsupported Unicode escape sequence");
    expect(dbErrorReason(new SyntaxError("Cannot convert NaN to a BigInt"))).toBe("SyntaxError: Cannot convert NaN to a BigInt");
  });
});
