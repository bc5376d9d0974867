"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { clsx } from "clsx";

export interface Tab {
  label: string;
  href: string;
  exact?: boolean;
}

/**
 * Navigation tabs as links. With `role="tablist"` the items are exposed as tabs: the Providers bar repeats
 * the sidebar's destinations and must not add a second link of the same name.
 */
export function TabBar({ tabs, label, asTabs }: { tabs: Tab[]; label: string; asTabs?: boolean }) {
  const pathname = usePathname();
  return (
    <div className="mb-6 border-b border-slate-200">
      <nav aria-label={label} role={asTabs ? "tablist" : undefined} className="-mb-px flex gap-1 overflow-x-auto">
        {tabs.map((t) => {
          const active = t.exact ? pathname === t.href : pathname === t.href || pathname.startsWith(`${t.href}/`);
          return (
            <Link
              key={t.href}
              href={t.href}
              role={asTabs ? "tab" : undefined}
              aria-selected={asTabs ? active : undefined}
              aria-current={!asTabs && active ? "page" : undefined}
              className={clsx(
                "rounded-t-md border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap transition-colors",
                active
                  ? "border-brand-600 text-slate-900"
                  : "border-transparent text-slate-500 hover:border-slate-300 hover:text-slate-800",
              )}
            >
              {t.label}
            </Link>
          );
        })}
      </nav>
    </div>
  );
}
