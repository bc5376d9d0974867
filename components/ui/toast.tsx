"use client";

import { clsx } from "clsx";
import { AlertCircle, CheckCircle2, X } from "lucide-react";
import { useSyncExternalStore } from "react";

// Short confirmations of a finished action ("Replay queued"), shown at the bottom right for a few seconds.
// One store for the page; <Toaster /> (mounted once in components/providers.tsx) renders it.

interface Toast {
  id: number;
  message: string;
  tone: "success" | "error";
}

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

function dismiss(id: number) {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

export function toast(message: string, tone: Toast["tone"] = "success") {
  const id = nextId++;
  toasts = [...toasts.slice(-2), { id, message, tone }];
  emit();
  setTimeout(() => dismiss(id), 5000);
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};
const EMPTY: Toast[] = [];

export function Toaster() {
  const list = useSyncExternalStore(
    subscribe,
    () => toasts,
    () => EMPTY,
  );
  return (
    <div aria-live="polite" className="pointer-events-none fixed right-4 bottom-4 z-[60] flex w-80 max-w-[calc(100vw-2rem)] flex-col gap-2">
      {list.map((t) => (
        <div
          key={t.id}
          role="status"
          className={clsx(
            "pointer-events-auto flex items-start gap-2 rounded-md px-3 py-2.5 text-sm shadow-lg ring-1",
            t.tone === "success" ? "bg-white text-slate-800 ring-slate-200" : "bg-red-50 text-red-800 ring-red-200",
          )}
        >
          {t.tone === "success" ? (
            <CheckCircle2 className="mt-0.5 size-4 shrink-0 text-emerald-600" aria-hidden />
          ) : (
            <AlertCircle className="mt-0.5 size-4 shrink-0" aria-hidden />
          )}
          <p className="min-w-0 flex-1">{t.message}</p>
          <button
            type="button"
            aria-label="Dismiss"
            onClick={() => dismiss(t.id)}
            className="rounded p-0.5 text-slate-400 hover:text-slate-600"
          >
            <X className="size-3.5" aria-hidden />
          </button>
        </div>
      ))}
    </div>
  );
}
