import { headers } from "next/headers";
import { env } from "@/lib/env";

/** Where senders and browsers reach Switchboard, for URLs the console shows: SWITCHBOARD_PUBLIC_URL, else this request's origin. */
export async function consoleOrigin(): Promise<string> {
  const h = await headers();
  const origin =
    env.SWITCHBOARD_PUBLIC_URL ?? `${h.get("x-forwarded-proto") ?? "http"}://${h.get("x-forwarded-host") ?? h.get("host") ?? "localhost"}`;
  return origin.replace(/\/+$/, "");
}
