import { Prisma } from "../db/generated/client";

const { Decimal } = Prisma;

// Prices are Decimal(18, 6) in the database and fixed 6-place strings in DTOs, so no float ever rounds them.
export type DecimalLike = { toFixed(dp: number): string };

export const toDecimal = (s: string) => new Decimal(s);

export function money(d: DecimalLike): string;
export function money(d: DecimalLike | null | undefined): string | null;
export function money(d: DecimalLike | null | undefined): string | null {
  return d === null || d === undefined ? null : d.toFixed(6);
}

/** The same amount written two ways ("10", 10, "10.000000") compares equal. */
export function sameMoney(a: string | DecimalLike | null | undefined, b: string | DecimalLike | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  return new Decimal(typeof a === "string" ? a : a.toFixed(6)).equals(new Decimal(typeof b === "string" ? b : b.toFixed(6)));
}
