export function Logo({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden>
      <rect width="32" height="32" rx="8" className="fill-brand-600" />
      <path d="M8 11h7m2 0h7M8 16h3m2 0h11M8 21h9m2 0h5" stroke="white" strokeWidth="2.2" strokeLinecap="round" />
      <circle cx="16" cy="11" r="1.6" fill="white" />
      <circle cx="12" cy="16" r="1.6" fill="white" />
      <circle cx="18" cy="21" r="1.6" fill="white" />
    </svg>
  );
}
