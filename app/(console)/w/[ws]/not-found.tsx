import Link from "next/link";

export default function WorkspaceNotFound() {
  return (
    <div className="mx-auto mt-16 max-w-md text-center">
      <h1 className="text-lg font-semibold text-slate-900">Page not found</h1>
      <p className="mt-2 text-sm text-slate-600">There is nothing at this address in this workspace.</p>
      <Link href="/" className="mt-6 inline-block text-sm font-medium text-brand-600 hover:underline">
        Go to the console home
      </Link>
    </div>
  );
}
