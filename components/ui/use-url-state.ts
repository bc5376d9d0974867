"use client";
import { useEffect, useRef, useTransition } from "react";
import { usePathname, useRouter } from "next/navigation";

/** Search string of a flat record: every non-empty value, in the record's order. */
export function flatSearch(values: object): string {
  const next = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (typeof v === "string" && v) next.set(k, v);
  return next.toString();
}

/**
 * View state (filters, ranges, grouping) kept in the URL, so a view can be shared and survives a reload.
 * `current` is what the page was rendered with; until a navigation commits it is stale, so each change builds
 * on the last requested state instead: two quick changes (status, then model) both land in the URL.
 */
export function useUrlState<T>(current: T, toSearch: (value: T) => string, opts: { push?: boolean } = {}) {
  const router = useRouter();
  const pathname = usePathname();
  const [navigating, startTransition] = useTransition();
  const latest = useRef(current);
  useEffect(() => {
    if (!navigating) latest.current = current;
  }, [current, navigating]);

  function update(change: (previous: T) => T) {
    const next = change(latest.current);
    latest.current = next;
    const qs = toSearch(next);
    const href = qs ? `${pathname}?${qs}` : pathname;
    startTransition(() => (opts.push ? router.push(href, { scroll: false }) : router.replace(href, { scroll: false })));
  }
  return { update, navigating };
}
