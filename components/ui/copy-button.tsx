"use client";

import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { Button } from "./button";

export function CopyButton({ value, label = "Copy" }: { value: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // Clipboard access needs a secure context; selecting the text still lets the person copy by hand.
      return;
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  }
  return (
    <Button type="button" variant="secondary" size="sm" onClick={copy}>
      {copied ? <Check className="size-3.5" aria-hidden /> : <Copy className="size-3.5" aria-hidden />}
      {copied ? "Copied" : label}
    </Button>
  );
}

/** A secret or link shown once, selectable, with a Copy button. */
export function OneTimeValue({ value, testId }: { value: string; testId: string }) {
  return (
    <div className="flex items-center gap-2 rounded-md bg-slate-50 p-2 ring-1 ring-slate-200">
      <code data-testid={testId} className="min-w-0 flex-1 truncate px-1 font-mono text-xs text-slate-800 select-all" title={value}>
        {value}
      </code>
      <CopyButton value={value} />
    </div>
  );
}
