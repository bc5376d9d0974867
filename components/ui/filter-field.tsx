import { X } from "lucide-react";
import { inputClass, Select } from "./field";

/** A free-text filter with suggestions, committed on blur or Enter. */
export function TextFilter({
  label,
  value,
  options,
  onCommit,
  className = "w-32",
}: {
  label: string;
  value: string | undefined;
  options: string[];
  onCommit: (v: string | undefined) => void;
  className?: string;
}) {
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

/** A choice among options ("Any" clears it); an option is a value, or [value, label]. */
export function SelectFilter({
  label,
  value,
  options,
  onChange,
  className,
}: {
  label: string;
  value: string | undefined;
  options: readonly (string | readonly [string, string])[];
  onChange: (v: string | undefined) => void;
  className: string;
}) {
  return (
    <FilterField label={label}>
      <Select aria-label={label} value={value ?? ""} onChange={(e) => onChange(e.target.value || undefined)} className={className}>
        <option value="">Any</option>
        {options.map((o) => {
          const [v, text] = typeof o === "string" ? [o, o] : o;
          return (
            <option key={v} value={v}>
              {text}
            </option>
          );
        })}
      </Select>
    </FilterField>
  );
}

/** From and To day pickers (YYYY-MM-DD). */
export function DateRangeFilters({
  from,
  to,
  onChange,
}: {
  from: string | undefined;
  to: string | undefined;
  onChange: (key: "from" | "to", v: string | undefined) => void;
}) {
  return (
    <>
      <FilterField label="From">
        <input
          type="date"
          aria-label="From date"
          value={from ?? ""}
          onChange={(e) => onChange("from", e.target.value || undefined)}
          className={`${inputClass} w-36`}
        />
      </FilterField>
      <FilterField label="To">
        <input
          type="date"
          aria-label="To date"
          value={to ?? ""}
          onChange={(e) => onChange("to", e.target.value || undefined)}
          className={`${inputClass} w-36`}
        />
      </FilterField>
    </>
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

/** An active filter that has no control of its own (set by a link or a row action), with a button to remove it. */
export function FilterChip({ label, value, onRemove }: { label: string; value: string; onRemove: () => void }) {
  return (
    <span className="inline-flex items-center gap-1 rounded-full bg-brand-50 px-2.5 py-1 text-xs text-brand-800 ring-1 ring-brand-200">
      {label}: <span className="max-w-40 truncate font-mono">{value}</span>
      <button type="button" aria-label={`Remove the ${label} filter`} onClick={onRemove} className="rounded-full p-0.5 hover:bg-brand-100">
        <X className="size-3" aria-hidden />
      </button>
    </span>
  );
}
