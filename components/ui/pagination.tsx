"use client";

import { ChevronLeft, ChevronRight } from "lucide-react";
import { useState } from "react";
import { Button } from "./button";

/** Cursor paging with a stack of earlier cursors, so Previous works without offsets. */
export function useCursorPages() {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  const cursor = stack[stack.length - 1];
  return {
    cursor,
    page: stack.length,
    next: (c: string) => setStack((s) => [...s, c]),
    prev: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset: () => setStack([undefined]),
  };
}

export function Pagination({
  page,
  hasPrev,
  nextCursor,
  onPrev,
  onNext,
}: {
  page: number;
  hasPrev: boolean;
  nextCursor: string | null | undefined;
  onPrev: () => void;
  onNext: (cursor: string) => void;
}) {
  if (!hasPrev && !nextCursor) return null;
  return (
    <nav aria-label="Pagination" className="mt-3 flex items-center justify-end gap-2 text-sm text-slate-500">
      <span className="mr-2">Page {page}</span>
      <Button variant="secondary" size="sm" onClick={onPrev} disabled={!hasPrev}>
        <ChevronLeft className="size-3.5" aria-hidden /> Previous
      </Button>
      <Button variant="secondary" size="sm" onClick={() => nextCursor && onNext(nextCursor)} disabled={!nextCursor}>
        Next <ChevronRight className="size-3.5" aria-hidden />
      </Button>
    </nav>
  );
}
