import { inputClass } from "./field";

/** A free-text filter with suggestions, committed on blur or Enter. */
export function TextFilter({ label, value, options, onCommit, className = "w-32" }: { label: string; value: string | undefined; options: string[]; onCommit: (v: string | undefined) => void; className?: string }) {
  const listId = `filter-${label.toLowerCase().replace(/\W+/g, "-")}`;
  const commit = (raw: string) => raw.trim() !== (value ?? "") && onCommit(raw.trim() || undefined);
  return (
    <FilterField label={label}>
      <input
        list={listId}
        aria-label={label}
        placeholder="Any"
        defaultValue={value ?? ""}
        key={value ?? ""}
        onBlur={(e) => commit(e.target.value)}
        onKeyDown={(e) => e.key === "Enter" && commit(e.currentTarget.value)}
        className={`${inputClass} ${className}`}
      />
      <datalist id={listId}>
        {options.map((o) => (
          <option key={o} value={o} />
        ))}
      </datalist>
    </FilterField>
  );
}

/** A labelled control in a filter bar. */
export function FilterField({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="space-y-1">
      <span aria-hidden className="block text-xs font-medium text-slate-500">
        {label}
      </span>
      {children}
    </div>
  );
}
