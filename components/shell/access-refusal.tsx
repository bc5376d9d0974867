"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { ShieldX } from "lucide-react";
import { requiredRoleFor } from "@/lib/auth/permissions";
import { pageForPath } from "./nav";

/** The refusal shown for a 403: which role the page needs, read from the same table as the server guard. */
export function AccessRefusal() {
  const pathname = usePathname();
  const page = pageForPath(pathname);
  const needed = page ? requiredRoleFor(page) : null;
  const home = /^\/w\/[^/]+/.exec(pathname)?.[0] ?? "/";
  return (
    <div className="mx-auto mt-16 max-w-md text-center">
      <div className="mx-auto mb-4 flex size-12 items-center justify-center rounded-full bg-amber-50 text-amber-600 ring-8 ring-amber-50/50">
        <ShieldX className="size-6" aria-hidden />
      </div>
      <h1 className="text-lg font-semibold text-slate-900">You don&apos;t have access to this page</h1>
      <p className="mt-2 text-sm text-slate-600">
        {needed ? (
          <>
            This page needs the <strong className="font-semibold text-slate-800">{needed}</strong> role
            {needed === "instance admin" ? " (the administrator of this Switchboard installation)" : " in this workspace"}.
          </>
        ) : (
          "Your role does not allow this page."
        )}{" "}
        Ask an Admin of the workspace if you need it.
      </p>
      <Link href={home} className="mt-6 inline-block rounded-md px-3 py-2 text-sm font-medium text-brand-600 hover:bg-brand-50">
        Back to the workspace overview
      </Link>
    </div>
  );
}
