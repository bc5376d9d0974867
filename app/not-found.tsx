import Link from "next/link";
import { Logo } from "@/components/shell/logo";

// Also what a person sees for a workspace they are not a member of: a slug reveals nothing.
export default function NotFound() {
  return (
    <main className="flex min-h-full items-center justify-center px-4">
      <div className="max-w-sm text-center">
        <Logo className="mx-auto size-10" />
        <h1 className="mt-4 text-lg font-semibold text-slate-900">Not found</h1>
        <p className="mt-2 text-sm text-slate-600">This page or workspace does not exist, or you are not a member of it.</p>
        <Link href="/" className="mt-6 inline-block text-sm font-medium text-brand-600 hover:underline">
          Go to the console home
        </Link>
      </div>
    </main>
  );
}
