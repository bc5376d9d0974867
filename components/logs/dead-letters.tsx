"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { TriangleAlert } from "lucide-react";
import { api, type Page } from "@/components/api/client";
import { ErrorBanner } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { formatDateTime } from "@/components/ui/format";
import { Table, Td, Th, THead, Tr } from "@/components/ui/table";
import type { UsageDeadLetterDto } from "@/lib/schemas/usage";
import { formatCost } from "./format";
import { logKeys } from "./keys";

// Control characters (the NUL that got a record refused, say) shown as their visible symbols (U+2400...).
// oxlint-disable-next-line no-control-regex -- control characters are what this shows
const visible = (s: string | null) => (s ? s.replace(/[\u0000-\u001f]/g, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0))) : "—");

/**
 * Usage records the database refused (Admins). Nothing is shown while there are none: this is an exception
 * report, not a permanent part of the page.
 */
export function DeadLetters({ workspaceId }: { workspaceId: string }) {
  const letters = useInfiniteQuery({
    queryKey: logKeys.deadLetters(workspaceId),
    queryFn: ({ pageParam }) =>
      api<Page<UsageDeadLetterDto>>("/usage/dead-letters", { query: { workspaceId, cursor: pageParam, limit: 20 } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 30_000,
  });
  if (letters.error) return <ErrorBanner error={letters.error} className="mb-4" />;
  const rows = letters.data?.pages.flatMap((p) => p.data) ?? [];
  if (!rows.length) return null;
  return (
    <section aria-labelledby="dead-letters-title" className="mb-4 rounded-lg bg-amber-50 p-3 ring-1 ring-amber-200">
      <h2 id="dead-letters-title" className="flex items-center gap-2 text-sm font-semibold text-amber-900">
        <TriangleAlert className="size-4" aria-hidden /> Usage records the database refused ({rows.length}
        {letters.hasNextPage ? "+" : ""})
      </h2>
      <p className="mt-1 mb-3 text-sm text-amber-900/80">
        These requests were answered, but their usage records could not be stored, so they are not in the logs, reports or budgets. Each is
        kept whole with the database&apos;s reason; the rest of its batch was written.
      </p>
      <Table label="Refused usage records" className="max-h-80">
        <THead>
          <Th>Set aside</Th>
          <Th>Request</Th>
          <Th>Model</Th>
          <Th>User</Th>
          <Th className="text-right">Cost</Th>
          <Th>Reason</Th>
        </THead>
        <tbody>
          {rows.map((d) => (
            <Tr key={d.id}>
              <Td className="whitespace-nowrap text-slate-500">{formatDateTime(d.at)}</Td>
              <Td className="font-mono text-xs">{d.requestId}</Td>
              <Td className="whitespace-nowrap">{visible(d.model)}</Td>
              <Td className="max-w-48 font-mono text-xs">
                <span className="block truncate" title={visible(d.userId)}>
                  {visible(d.userId)}
                </span>
              </Td>
              <Td className="text-right whitespace-nowrap">{d.costUsd ? formatCost(d.costUsd) : "—"}</Td>
              <Td className="text-xs text-red-800">{d.reason}</Td>
            </Tr>
          ))}
        </tbody>
      </Table>
      {letters.hasNextPage && (
        <div className="mt-3 flex justify-center">
          <Button variant="secondary" size="sm" onClick={() => letters.fetchNextPage()} pending={letters.isFetchingNextPage}>
            Load more
          </Button>
        </div>
      )}
    </section>
  );
}
