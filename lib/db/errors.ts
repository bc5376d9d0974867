/** True for a unique-constraint violation (Prisma P2002), however the driver adapter reports it. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; cause?: { code?: string; originalCode?: string } } | null;
  return err?.code === "P2002" || err?.cause?.originalCode === "23505" || err?.cause?.code === "23505";
}
