import type { Tx } from "../db/types";
import { AppError, conflict } from "../errors";
import { checkOutboundUrl, OutboundBlockedError } from "../outbound/fetch";

/** Platform names are unique regardless of case. */
export async function assertPlatformNameFree(tx: Tx, name: string, exceptId?: string, path = "name") {
  const clash = await tx.platform.findFirst({
    where: { name: { equals: name, mode: "insensitive" }, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw conflict("A platform with this name already exists", path);
}

/** Where a base URL may point: private and loopback addresses only for platforms marked internal. */
export function assertBaseUrlAllowed(baseUrl: string, internal: boolean, path = "baseUrl") {
  try {
    checkOutboundUrl(baseUrl, internal);
  } catch (e) {
    if (!(e instanceof OutboundBlockedError)) throw e;
    const message =
      e.message === "The destination is not allowed"
        ? "This address is private or local; mark the platform as internal to allow it"
        : e.message;
    throw new AppError("validation_failed", "The base URL is not allowed", { fields: [{ path, message }] });
  }
}

/** Key descriptions are unique within a platform (configuration files match keys by them). */
export async function assertKeyDescriptionFree(
  tx: Tx,
  platformId: string,
  description: string,
  exceptKeyId?: string,
  path = "description",
) {
  if (!description) return;
  const clash = await tx.platformKey.findFirst({
    where: { platformId, description: { equals: description, mode: "insensitive" }, ...(exceptKeyId ? { NOT: { id: exceptKeyId } } : {}) },
    select: { id: true },
  });
  if (clash) throw conflict("Another key of this platform has this description", path);
}
