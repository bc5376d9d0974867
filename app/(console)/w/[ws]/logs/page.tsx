import type { Metadata } from "next";
import { headers } from "next/headers";
import { env } from "@/lib/env";
import { RequestLog } from "@/components/logs/request-log";
import { LOG_FILTERS, type LogFilters } from "@/components/logs/filters";
import { requirePage } from "@/app/(console)/guard";
import { roleAllows } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Logs" };

async function gatewayEndpoint(): Promise<string> {
  const h = await headers();
  const origin =
    env.SWITCHBOARD_PUBLIC_URL ?? `${h.get("x-forwarded-proto") ?? "http"}://${h.get("x-forwarded-host") ?? h.get("host") ?? "localhost"}`;
  return `${origin.replace(/\/+$/, "")}/api/v1/chat/completions`;
}

export default async function LogsPage({
  params,
  searchParams,
}: {
  params: Promise<{ ws: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await requirePage((await params).ws, "logs");
  const sp = await searchParams;
  const filters: LogFilters = {};
  for (const k of LOG_FILTERS) {
    const v = sp[k];
    if (typeof v === "string" && v) filters[k] = v.slice(0, 200);
  }
  const showDeadLetters = ctx.instanceAdmin || roleAllows(ctx.role, "usage.deadLetters.read");
  return (
    <RequestLog
      workspace={{ id: ctx.workspace.id, name: ctx.workspace.name }}
      filters={filters}
      endpoint={await gatewayEndpoint()}
      showDeadLetters={showDeadLetters}
    />
  );
}
