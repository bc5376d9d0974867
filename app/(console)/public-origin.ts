import { headers } from "next/headers";
import { env } from "@/lib/env";

/** This instance's URL as clients reach it (SWITCHBOARD_PUBLIC_URL, else the request's host), for examples on pages. */
export async function publicOrigin(): Promise<string> {
  const h = await headers();
  const origin =
    env.SWITCHBOARD_PUBLIC_URL ?? `${h.get("x-forwarded-proto") ?? "http"}://${h.get("x-forwarded-host") ?? h.get("host") ?? "localhost"}`;
  return origin.replace(/\/+$/, "");
}
