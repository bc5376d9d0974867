import { env } from "../env";

/** The redirect URI every connector's OAuth client registers: `{SWITCHBOARD_PUBLIC_URL}/api/oauth/callback`. */
export const CALLBACK_PATH = "/api/oauth/callback";

/** Where Switchboard is reached: SWITCHBOARD_PUBLIC_URL, else the origin of the request that asks. */
export function publicBase(requestOrigin?: string): string {
  return (env.SWITCHBOARD_PUBLIC_URL ?? requestOrigin ?? "http://localhost:3000").replace(/\/+$/, "");
}

export const redirectUriFor = (requestOrigin?: string) => `${publicBase(requestOrigin)}${CALLBACK_PATH}`;

/** The redirect URI for a console page, from the request's forwarded host when no public URL is set. */
export function redirectUriFromHeaders(h: Headers): string {
  const origin = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("x-forwarded-host") ?? h.get("host") ?? "localhost"}`;
  return redirectUriFor(origin);
}
