"use client";

import { Search } from "lucide-react";
import { useEffect, useState } from "react";
import { clsx } from "clsx";
import { inputClass } from "./field";

/** A search box that reports its value after the person pauses typing. */
export function SearchInput({
  label,
  value,
  onChange,
  className,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  className?: string;
}) {
  const [text, setText] = useState(value);
  // A new value from outside (a cleared filter, a link) replaces what is typed: adjusted during render, not in an effect.
  const [outside, setOutside] = useState(value);
  if (value !== outside) {
    setOutside(value);
    setText(value);
  }
  useEffect(() => {
    if (text === value) return;
    const t = setTimeout(() => onChange(text), 250);
    return () => clearTimeout(t);
  }, [text, value, onChange]);
  return (
    <div className={clsx("relative w-72 max-w-full", className)}>
      <Search className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-slate-400" aria-hidden />
      <input
        type="search"
        aria-label={label}
        placeholder={label}
        value={text}
        onChange={(e) => setText(e.target.value)}
        className={clsx(inputClass, "pl-8")}
      />
    </div>
  );
}
