import { clsx } from "clsx";
import { AlertCircle, CheckCircle2 } from "lucide-react";

/** An error banner; the request id lets support find the server log line. */
export function ErrorBanner({ error, className }: { error: unknown; className?: string }) {
  if (!error) return null;
  const e = error as { message?: string; detail?: string; requestId?: string };
  return (
    <div role="alert" className={clsx("flex gap-2.5 rounded-md bg-red-50 px-3 py-2.5 text-sm text-red-800 ring-1 ring-red-200", className)}>
      <AlertCircle className="mt-0.5 size-4 shrink-0" aria-hidden />
      <div>
        <p>{e.detail ?? e.message ?? "Something went wrong"}</p>
        {e.requestId && <p className="mt-0.5 font-mono text-xs text-red-600/80">Request id: {e.requestId}</p>}
      </div>
    </div>
  );
}

export function SuccessNote({ children, className }: { children: React.ReactNode; className?: string }) {
  return (
    <div
      role="status"
      className={clsx(
        "flex items-center gap-2 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200",
        className,
      )}
    >
      <CheckCircle2 className="size-4 shrink-0" aria-hidden />
      {children}
    </div>
  );
}
