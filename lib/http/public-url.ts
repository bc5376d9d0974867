import { env } from "../env";

/** Absolute URL for links we hand out (invitations): SWITCHBOARD_PUBLIC_URL, else the request's own origin. */
export function publicUrlFor(req: Request, path: string): string {
  const base = env.SWITCHBOARD_PUBLIC_URL ?? new URL(req.url).origin;
  return new URL(path, base).toString();
}
