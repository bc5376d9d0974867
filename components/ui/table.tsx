import { clsx } from "clsx";

/**
 * A table in a card that scrolls both ways: a wide table scrolls inside the card instead of widening the page.
 * `relative` matters: without a positioned ancestor, absolutely positioned content in a cell (the `sr-only`
 * labels) escapes the card's clipping and stretched the Logs page to ~2,300 px at 1440.
 */
export function Table({ className, children, label }: { className?: string; children: React.ReactNode; label?: string }) {
  return (
    <div className={clsx("relative max-h-[70vh] overflow-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200", className)}>
      <table aria-label={label} className="min-w-full border-separate border-spacing-0 text-sm">
        {children}
      </table>
    </div>
  );
}

export function THead({ children }: { children: React.ReactNode }) {
  return (
    <thead className="sticky top-0 z-10 bg-slate-50/95 backdrop-blur">
      <tr>{children}</tr>
    </thead>
  );
}

export function Th({ children, className }: { children?: React.ReactNode; className?: string }) {
  return (
    <th
      scope="col"
      className={clsx(
        "border-b border-slate-200 px-4 py-2.5 text-left text-xs font-medium tracking-wide whitespace-nowrap text-slate-500 uppercase",
        className,
      )}
    >
      {children}
    </th>
  );
}

export function Tr({ children, className }: { children: React.ReactNode; className?: string }) {
  return <tr className={clsx("group transition-colors hover:bg-slate-50", className)}>{children}</tr>;
}

export function Td({ children, className, colSpan }: { children?: React.ReactNode; className?: string; colSpan?: number }) {
  return (
    <td
      colSpan={colSpan}
      className={clsx("border-b border-slate-100 px-4 py-3 align-middle text-slate-700 group-last:border-b-0", className)}
    >
      {children}
    </td>
  );
}

/** Rows of grey bars while a table loads. */
export function SkeletonRows({ columns, rows = 4 }: { columns: number; rows?: number }) {
  return (
    <>
      {Array.from({ length: rows }, (_, r) => (
        <tr key={r} aria-hidden>
          {Array.from({ length: columns }, (_, c) => (
            <td key={c} className="border-b border-slate-100 px-4 py-3.5">
              <div className="h-3.5 animate-pulse rounded bg-slate-200/70" style={{ width: `${50 + ((r * 7 + c * 13) % 40)}%` }} />
            </td>
          ))}
        </tr>
      ))}
    </>
  );
}

/** A list's rows: grey bars until the first page arrives, then `empty` across the whole table when there is nothing to show. */
export function ListRows<T>({
  pending,
  items,
  columns,
  empty,
  children,
}: {
  pending: boolean;
  items: T[] | undefined;
  columns: number;
  empty: React.ReactNode;
  children: (item: T) => React.ReactNode;
}) {
  if (pending) return <SkeletonRows columns={columns} />;
  if (items?.length === 0) {
    return (
      <tr>
        <Td colSpan={columns}>{empty}</Td>
      </tr>
    );
  }
  return <>{items?.map(children)}</>;
}
